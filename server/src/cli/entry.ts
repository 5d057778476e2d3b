// server/out/cli.js, the `reqguard` command (package.json `bin`). --help and --version are
// answered from this small bundle; every other command loads the engine, the server bundle
// server/out/main.js (which starts the language server only when Node runs it as the main
// module), and runs there. Node 22.1+ keeps V8's compiled code of main.js between runs (in the OS
// temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off); on Node 20, which has no such cache,
// codeCache.ts keeps V8's code cache of main.js itself (REQGUARD_NO_CODE_CACHE=1 turns it off).
import { join } from 'node:path';
import { packageVersion } from '../packageManifest';
import { requireWithCodeCache } from './codeCache';
import { answerWithoutEngine } from './usage';

const quick = answerWithoutEngine(process.argv.slice(2), packageVersion);
if (quick) {
  process[quick.stream].write(quick.text);
  process.exitCode = quick.status;
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node 22.1+ only, so not imported
  const { enableCompileCache } = require('node:module') as { enableCompileCache?: () => void };
  type Engine = typeof import('../main');
  const viaCodeCache = () => (process.env.REQGUARD_NO_CODE_CACHE === '1' ? undefined : (requireWithCodeCache(join(__dirname, 'main.js'), module, process.argv[2]) as Engine | undefined));
  if (enableCompileCache) enableCompileCache();
  // The bundle beside this one, at run time: esbuild leaves it out of this bundle (build.mjs).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load on purpose (see above)
  const engine = (enableCompileCache ? undefined : viaCodeCache()) ?? (require('./main.js') as Engine);
  engine.runCliProcess();
}
