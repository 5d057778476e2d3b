// Loads the engine bundle (server/out/main.js) for the `reqguard` command with V8's code cache,
// where Node has no compile cache of its own (Node 20; 22.1+ has module.enableCompileCache, used
// instead). Compiling the 2.4 MB bundle is a large share of a command's start; with the code a
// previous run compiled (kept per user in the OS temp folder, as Node's own cache is), V8
// deserializes it instead. The cache is checked by V8 against the source and Node version, and a
// rejected, missing or unreadable one only costs the compile it would have saved; it is written
// (again) at exit, with the functions the run compiled. REQGUARD_NO_CODE_CACHE=1 turns it off.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

type ModuleInternals = typeof Module & { wrap(source: string): string; _nodeModulePaths(from: string): string[] };

/** A folder only this user can write, or undefined (another user's folder of that name is never trusted). */
function privateCacheFolder(): string | undefined {
  const uid = process.getuid?.() ?? 0;
  const folder = join(tmpdir(), `reqguard-code-cache-${uid}`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = statSync(folder);
    if (!stats.isDirectory() || (process.getuid && stats.uid !== uid)) return undefined;
    if (stats.mode & 0o077) chmodSync(folder, 0o700);
    return folder;
  } catch {
    return undefined;
  }
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Requires `path` (a CommonJS bundle) through V8's code cache; what it exports. `flavour` (the
 * command) keeps a cache per command, each with the functions that command compiles. Undefined
 * when the bundle cannot be read: the caller's plain require then says what is wrong.
 */
export function requireWithCodeCache(path: string, parent: NodeJS.Module, flavour: string): unknown {
  const source = readOptional(path)?.toString('utf8');
  if (source === undefined) return undefined;
  const folder = privateCacheFolder();
  const key = createHash('sha256').update(process.version).update('\0').update(process.arch).update('\0').update(source).digest('hex').slice(0, 32);
  const cacheFile = folder && join(folder, `${key}-${/^[a-z]{1,20}$/.test(flavour) ? flavour : 'other'}.bin`);
  const cachedData = cacheFile ? readOptional(cacheFile) : undefined;
  const internals = Module as ModuleInternals;
  const script = new Script(internals.wrap(source), { filename: path, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // At exit the cache holds what this run compiled too (the functions a command uses), not just the top level.
    process.once('exit', () => {
      try {
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only or full temp folder: the next run compiles again.
      }
    });
  }
  const loaded = new Module(path, parent);
  loaded.filename = path;
  loaded.paths = internals._nodeModulePaths(dirname(path));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;
  wrapper.call(loaded.exports, loaded.exports, Module.createRequire(path), loaded, path, dirname(path));
  loaded.loaded = true;
  return loaded.exports;
}
