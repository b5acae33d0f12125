// Types of testReport.mjs (a plain ES module run by node before anything is compiled; allowJs is off).
export interface Failure {
  name: string;
  message: string;
}
export function vitestFailures(report: unknown, root: string): Failure[];
export function playwrightFailures(report: unknown): Failure[];
export function describeFailures(failures: readonly Failure[]): string;
