// pip's configuration files as they choose the index, compared with the real pip (`pip config
// list`). Reading the files and variables: test/unit/pipConfig.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipConfigFiles, resolvePipIndexConfig, type PipEnvironment } from '../../server/src/index/pipConfig';
import { PIP, skipWithout } from '../support/optionalProgram';
import { tempDir } from '../helpers/tempDirs';

test('agrees with the real pip on which index-url wins (pip config list)', { skip: skipWithout(PIP) }, () => {
  const root = tempDir('pipconf');
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  write(join(root, 'xdg/pip/pip.conf'), '[global]\nindex-url = https://xdg.example/simple\n');
  write(join(root, 'home/.pip/pip.conf'), '[global]\nindex-url = https://legacy.example/simple\n');
  write(join(root, 'home/.config/pip/pip.conf'), '[install]\nindex-url = https://user.example/simple\n');
  const env = { PATH: process.env.PATH, HOME: join(root, 'home'), XDG_CONFIG_DIRS: join(root, 'xdg') };
  const listed = spawnSync('python3', ['-m', 'pip', 'config', 'list'], { env, encoding: 'utf8' });
  assert.equal(listed.status, 0, listed.stderr);
  const values = new Map(listed.stdout.trim().split('\n').map((line) => {
    const [key, value] = line.split('=', 2);
    return [key, value.replace(/^'|'$/g, '')] as const;
  }));
  const pipChoice = values.get('install.index-url') ?? values.get('global.index-url');
  const environment: PipEnvironment = { env, home: env.HOME };
  const files = pipConfigFiles(environment).map((file) => ({ ...file, text: existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined }));
  assert.equal(resolvePipIndexConfig(files, environment).indexUrl?.value, pipChoice);
  assert.equal(pipChoice, 'https://user.example/simple');
});
