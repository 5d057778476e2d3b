// A node:test reporter (beside spec): ends the run with one line per skip reason, e.g. an optional
// program that is missing, and how many tests and suites it skipped. node's own summary counts
// skipped tests but not skipped suites, and names no reason.
export default async function* skipped(source) {
  const reasons = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' || event.data.skip === undefined) continue;
    const reason = typeof event.data.skip === 'string' ? event.data.skip : '(no reason given)';
    const count = reasons.get(reason) ?? { tests: 0, suites: 0 };
    if (event.data.details?.type === 'suite') count.suites++;
    else count.tests++;
    reasons.set(reason, count);
  }
  if (reasons.size === 0) return;
  yield '\nskipped:\n';
  for (const [reason, { tests, suites }] of reasons) {
    const what = [tests && `${tests} test${tests === 1 ? '' : 's'}`, suites && `${suites} suite${suites === 1 ? '' : 's'}`].filter(Boolean).join(', ');
    yield `  ${what}: ${reason}\n`;
  }
}
