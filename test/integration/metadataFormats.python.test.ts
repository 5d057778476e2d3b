// Python as the judge of the formats reqguard reads for dependency metadata: the email parser
// (compat32) on metadata files, pip's own metadata reading (system pip and pip 26), zipfile on
// real wheels and on zips Python writes (zip64, comments, stored, a prepended stub), tarfile's
// formats (ustar, PAX and GNU long names) for sdists.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoreMetadata } from '../../server/src/parser/coreMetadata';
import { readCoreMetadata } from '../../server/src/pip/metadata';
import { bufferAccess, readTarMember, readZipMember } from '../../server/src/index/distArchives';
import { DEFECT_CLASSES, METADATA_CASES } from '../helpers/coreMetadataCases';
import { PIP, PIP26, PYTHON3, skipWithout } from '../support/optionalProgram';
import { python, type PipVersion } from '../support/pip';
import { startTestIndex, type TestIndex } from '../support/testIndex';
import { tempDir } from '../helpers/tempDirs';

const work = tempDir('formats');
const LIMITS = { maxMemberBytes: 16 * 1024 * 1024, maxDirectoryBytes: 64 * 1024 * 1024 };

/** Runs a Python script on a JSON input file and parses what it prints as JSON. */
async function pythonJson(script: string, input: unknown, interpreter = 'python3'): Promise<unknown> {
  const inputPath = join(work, `input-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(inputPath, JSON.stringify(input));
  const run = await python(['-c', script, inputPath], interpreter);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test("Python's email parser (compat32) reads every case as reqguard's parser is held to", { skip: skipWithout(PYTHON3) }, async () => {
  const script = `
import email, json, sys
out = []
for text in json.load(open(sys.argv[1])):
    message = email.message_from_string(text)
    out.append({'fields': [[k, v] for k, v in message._headers], 'defects': [type(d).__name__ for d in message.defects]})
print(json.dumps(out))`;
  const seen = (await pythonJson(script, METADATA_CASES.map((c) => c.text))) as { fields: [string, string][]; defects: string[] }[];
  METADATA_CASES.forEach((testCase, at) => {
    assert.deepEqual(seen[at].fields, testCase.fields, testCase.name);
    assert.deepEqual(seen[at].defects, testCase.problems.map((code) => DEFECT_CLASSES[code as keyof typeof DEFECT_CLASSES]), testCase.name);
    // And so reqguard's parser, on the same text, agrees with Python itself.
    assert.deepEqual(parseCoreMetadata(testCase.text).fields.map((f) => [f.name, f.value]), seen[at].fields, testCase.name);
  });
});

const PIP_READ = `
import json, sys
from pip._internal.utils.temp_dir import global_tempdir_manager
from pip._internal.metadata import get_metadata_distribution
out = []
with global_tempdir_manager():
    for raw in json.load(open(sys.argv[1])):
        try:
            dist = get_metadata_distribution(bytes.fromhex(raw), 'x-1.0-py3-none-any.whl', 'x')
            m = dist.metadata
            name = m.get('Name')
            if name is None:
                raise ValueError('no Name')
            rp = m.get('Requires-Python')
            out.append({'name': name.strip(), 'version': m.get('Version').strip(),
                        'requiresDist': [r.strip() for r in m.get_all('Requires-Dist', [])],
                        'requiresPython': rp.strip() if rp and rp.strip() else None,
                        'providesExtra': [e.strip() for e in m.get_all('Provides-Extra', [])]})
        except Exception as e:
            out.append({'error': type(e).__name__})
print(json.dumps(out))`;

const PIP_FILES: Buffer[] = [
  Buffer.from('Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nRequires-Dist: a >=1  \nRequires-Dist:  b ; extra == "x"\nRequires-Python: >=3.8 \nProvides-Extra: x\n\nbody\nRequires-Dist: body-only\n'),
  Buffer.from('Metadata-Version: 2.3\r\nName: Foo.Bar\r\nVersion: 2.0\r\nRequires-Dist: c\r\nDynamic: Requires-Dist\r\n\r\n'),
  Buffer.from('name: foo\nVERSION: 1.0\nrequires-dist: lower\nREQUIRES-DIST: upper\n'),
  Buffer.from('Name: foo\nVersion: 1.0\nRequires-Python:\nSummary: folded\n  over lines\nRequires-Dist: after-fold\n'),
  Buffer.from('Name: foo\nVersion: 1.0\nnot a field\nRequires-Dist: in-body\n'),
  Buffer.from('\ufeffName: foo\nVersion: 1.0\n'),
  Buffer.from('Name: caf\xe9\nVersion: 1.0\n', 'latin1'),
];

for (const which of ['system', 'pip26'] as PipVersion[]) {
  test(`${which === 'system' ? "this machine's pip" : 'pip 26'} reads metadata files as readCoreMetadata does`, { skip: skipWithout(which === 'system' ? PIP : PIP26) }, async () => {
    const interpreter = which === 'system' ? 'python3' : process.env.REQGUARD_PIP26_PYTHON!;
    const seen = (await pythonJson(PIP_READ, PIP_FILES.map((file) => file.toString('hex')), interpreter)) as Record<string, unknown>[];
    PIP_FILES.forEach((file, at) => {
      const ours = readCoreMetadata(file, 'METADATA');
      if ('error' in seen[at]) {
        assert.ok(!ours.ok, `pip fails on file ${at} (${String(seen[at].error)}); so does reqguard`);
        return;
      }
      assert.ok(ours.ok, `file ${at}: ${JSON.stringify(ours)}`);
      const { name, version, requiresDist, requiresPython, providesExtra } = ours.metadata;
      assert.deepEqual({ name, version, requiresDist, requiresPython: requiresPython ?? null, providesExtra }, seen[at], `file ${at}`);
    });
  });
}

let index: TestIndex;
before(async () => {
  index = await startTestIndex({
    projects: {
      demo: { versions: { '1.0': { requiresDist: ['a', 'b; extra == "x"'], providesExtra: ['x'] } } },
      big: { versions: { '1.0': { files: [{ kind: 'wheel', payloadBytes: 2 * 1024 * 1024 }] } } },
      wide: { versions: { '1.0': { files: [{ kind: 'wheel', payloadFiles: 2000 }] } } },
    },
  });
});
after(() => index.close());

const ZIP_READ = `
import json, sys, zipfile
out = []
for path, member in json.load(open(sys.argv[1])):
    with zipfile.ZipFile(path) as z:
        out.append(z.read(member).hex())
print(json.dumps(out))`;

test("Python's zipfile reads the same METADATA as reqguard from real wheels and from zips Python writes", { skip: skipWithout(PYTHON3) }, async () => {
  const wheels = ['demo-1.0-py3-none-any.whl', 'big-1.0-py3-none-any.whl', 'wide-1.0-py3-none-any.whl'].map((filename) => {
    const path = join(work, filename);
    writeFileSync(path, index.file(filename)!.body);
    return [path, `${filename.split('-')[0]}-1.0.dist-info/METADATA`];
  });
  // zipfile writes: deflated with a comment, stored, forced zip64, and one behind a shell stub.
  const written = await python([
    '-c',
    `
import sys, zipfile, os
d = sys.argv[1]
meta = 'Metadata-Version: 2.1\\nName: made\\nVersion: 1.0\\nRequires-Dist: z\\n\\n' + 'long description ' * 5000
for name, method, zip64, comment in [('deflated', zipfile.ZIP_DEFLATED, False, b'a comment'), ('stored', zipfile.ZIP_STORED, False, b''), ('zip64', zipfile.ZIP_DEFLATED, True, b'')]:
    with zipfile.ZipFile(os.path.join(d, name + '.zip'), 'w', method) as z:
        z.comment = comment
        z.writestr('made/__init__.py', '')
        with z.open('made-1.0.dist-info/METADATA', 'w', force_zip64=zip64) as f:
            f.write(meta.encode())
with open(os.path.join(d, 'stub.zip'), 'wb') as out:
    out.write(b'#!/bin/sh\\nexit 0\\n' * 100)
    out.write(open(os.path.join(d, 'deflated.zip'), 'rb').read())
`,
    work,
  ]);
  assert.equal(written.status, 0, written.stderr);
  const made = ['deflated', 'stored', 'zip64', 'stub'].map((name) => [join(work, `${name}.zip`), 'made-1.0.dist-info/METADATA']);
  const all = [...wheels, ...made];
  const expected = (await pythonJson(ZIP_READ, all)) as string[];
  for (const [at, [path, member]] of all.entries()) {
    const ours = await readZipMember(bufferAccess(readFileSync(path)), `file://${path}`, path, (names) => (names.includes(member) ? { name: member } : { message: 'missing' }), LIMITS);
    assert.ok(ours.ok, `${path}: ${JSON.stringify(ours)}`);
    assert.equal(ours.value.data.toString('hex'), expected[at], path);
  }
});

test("Python's tarfile formats (ustar, PAX and GNU long names): PKG-INFO found where tarfile finds it", { skip: skipWithout(PYTHON3) }, async () => {
  const long = 'pkg-1.0/' + 'deep/'.repeat(30) + 'x';
  const made = await python([
    '-c',
    `
import io, sys, tarfile, os, json
d = sys.argv[1]
out = {}
for fmt in ('USTAR_FORMAT', 'PAX_FORMAT', 'GNU_FORMAT'):
    path = os.path.join(d, fmt + '.tar.gz')
    with tarfile.open(path, 'w:gz', format=getattr(tarfile, fmt)) as t:
        def add(name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        if fmt != 'USTAR_FORMAT':
            add(${JSON.stringify(long)} + '/PKG-INFO', b'not the top level')
            add('pkg-1.0/' + 'n' * 150, b'a long name')
        add('pkg-1.0/caf\\u00e9.txt', b'non-ASCII name')
        add('pkg-1.0/PKG-INFO', ('Name: pkg\\nVersion: 1.0\\nSummary: ' + fmt + '\\n').encode())
    with tarfile.open(path) as t:
        out[fmt] = [m.name for m in t.getmembers()]
print(json.dumps(out))
`,
    work,
  ]);
  assert.equal(made.status, 0, made.stderr);
  const names = JSON.parse(made.stdout) as Record<string, string[]>;
  for (const format of ['USTAR_FORMAT', 'PAX_FORMAT', 'GNU_FORMAT']) {
    const seen: string[] = [];
    const found = await readTarMember(readFileSync(join(work, `${format}.tar.gz`)), true, 'file:///x', format, (path) => (seen.push(path), path === 'pkg-1.0/PKG-INFO'), { maxMemberBytes: 1024 * 1024, maxUnpackedBytes: 1024 * 1024 * 1024 });
    assert.ok(found.ok && found.value, JSON.stringify(found));
    assert.equal(found.value.data.toString(), `Name: pkg\nVersion: 1.0\nSummary: ${format}\n`);
    assert.deepEqual(seen, names[format], `${format}: every member named as tarfile names it`);
  }
});
