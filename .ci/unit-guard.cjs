// Loaded (--require) by .ci/test.mjs into the unit group's test processes: unit tests run in
// process, so a child process or a socket there is a mistake, reported where it happens. Tests
// that need one belong in test/integration. Inactive in the runner itself (no NODE_TEST_CONTEXT).
if (process.env.NODE_TEST_CONTEXT) {
  const childProcess = require('node:child_process');
  const net = require('node:net');
  const refuse = (what) =>
    function refused() {
      throw new Error(`${what} in a unit test: unit tests run in process (no child processes, servers or sockets); move the test to test/integration`);
    };
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = refuse(`child_process.${name}`);
  net.Server.prototype.listen = refuse('listening on a socket');
  net.Socket.prototype.connect = refuse('connecting a socket');
}
