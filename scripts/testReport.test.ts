import { describe, expect, it } from 'vitest';
import { describeFailures, playwrightFailures, vitestFailures } from './testReport.mjs';

describe("npm test's last lines", () => {
  it('name every failed Vitest test with the first lines of its failure, and a file that failed before its tests', () => {
    const report = {
      testResults: [
        {
          name: '/repo/server/a.test.ts',
          status: 'failed',
          assertionResults: [
            { status: 'passed', fullName: 'a works' },
            { status: 'failed', fullName: 'a > b fails', failureMessages: ['AssertionError: expected 1 to be 2\n    at x.ts:1\n1\n2\n3\n4\n5'] },
          ],
        },
        { name: '/repo/server/c.test.ts', status: 'failed', message: 'Cannot find module ./gone', assertionResults: [] },
        { name: '/repo/server/d.test.ts', status: 'passed', assertionResults: [{ status: 'passed', fullName: 'd' }] },
      ],
    };
    const failures = vitestFailures(report, '/repo');
    expect(failures.map((failure) => failure.name)).toEqual(['server/a.test.ts > a > b fails', 'server/c.test.ts']);
    expect(failures[0].message.split('\n')).toHaveLength(6);
    expect(describeFailures(failures)).toContain('  ✗ server/a.test.ts > a > b fails\n      AssertionError: expected 1 to be 2');
  });

  it('name every unexpected Playwright test with its describe titles and last error', () => {
    const report = {
      suites: [
        {
          title: 'e2e/x.spec.ts',
          specs: [],
          suites: [
            {
              title: 'Rolling',
              specs: [
                {
                  file: 'e2e/x.spec.ts',
                  line: 52,
                  title: 'waves',
                  tests: [
                    { status: 'unexpected', results: [{ status: 'failed', error: { message: '\u001b[31mExpected\u001b[39m: "a"' } }] },
                    { status: 'expected', results: [] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const failures = playwrightFailures(report);
    expect(failures).toEqual([{ name: 'e2e/x.spec.ts:52 > Rolling > waves', message: '\u001b[31mExpected\u001b[39m: "a"' }]);
    expect(describeFailures(failures)).toContain('      Expected: "a"');
  });

  it('print nothing when nothing failed, or when a report is missing', () => {
    expect(describeFailures([...vitestFailures(null, '/'), ...playwrightFailures(null)])).toBe('');
  });
});
