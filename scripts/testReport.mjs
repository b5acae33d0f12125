// What `npm test` prints last: the counts, and the name and first lines of every failed test, so that a CI log
// cut to its tail still says which test failed and why.
import path from 'node:path';

const firstLines = (text, count = 6) => String(text).split('\n').slice(0, count).join('\n');

/** Failed tests of a Vitest JSON report: `file > name` and the first lines of the failure. */
export function vitestFailures(report, root) {
  const failures = [];
  for (const file of report?.testResults ?? []) {
    const name = path.relative(root, file.name ?? '');
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') failures.push({ name: `${name} > ${test.fullName ?? test.title}`, message: firstLines((test.failureMessages ?? []).join('\n')) });
    }
    // A file that failed before any test ran (an import error, a hook) has no failed test: say so.
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')) failures.push({ name, message: firstLines(file.message ?? 'the file failed') });
  }
  return failures;
}

/** Failed tests of a Playwright JSON report: `file:line > title` and the first lines of the last error. */
export function playwrightFailures(report) {
  const failures = [];
  const visit = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = (test.results ?? []).at(-1);
        failures.push({ name: `${spec.file}:${spec.line} > ${[...titles, spec.title].join(' > ')}`, message: firstLines(last?.error?.message ?? last?.status ?? 'failed') });
      }
    }
    for (const child of suite.suites ?? []) visit(child, child.title && !child.title.endsWith('.ts') ? [...titles, child.title] : titles);
  };
  for (const suite of report?.suites ?? []) visit(suite, []);
  return failures;
}

/** The failures as text, or '' when there are none. */
export function describeFailures(failures) {
  if (failures.length === 0) return '';
  return `\n${failures.length} failed:\n${failures.map(({ name, message }) => `  ✗ ${name}\n${message.replace(/\u001b\[[0-9;]*m/g, '').replace(/^/gm, '      ')}`).join('\n')}\n`;
}
