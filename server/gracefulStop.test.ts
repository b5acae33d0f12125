import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const stopModule = path.join(import.meta.dirname, 'gracefulStop.ts');

/**
 * A process that installs the graceful stop, then, as Next.js does once a page has been served
 * (its telemetry store writes files through signal-exit), a second listener that re-sends the
 * signal to kill the process when it believes no one else handles it. It prints "ready", then
 * "stopped" when the stop ran to its end.
 */
const CHILD = `
import { installGracefulStop } from ${JSON.stringify(stopModule)};
installGracefulStop(async (reason) => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log('stopped: ' + reason);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  const reRaise = () => { if (process.listeners(signal).length === 1) { process.removeListener(signal, reRaise); process.kill(process.pid, signal); } };
  process.on(signal, reRaise);
}
setInterval(() => undefined, 1000);
console.log('ready');
`;

function runUntilExit(signals: NodeJS.Signals[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: path.join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const before = output;
      output += chunk.toString();
      // Ctrl-C under `npm start` delivers the signal twice: from the terminal and relayed by the parent.
      if (!before.includes('ready') && output.includes('ready')) for (const signal of signals) child.kill(signal);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

describe('the graceful stop', () => {
  it('runs to its end when another signal listener would re-raise the signal', async () => {
    const result = await runUntilExit(['SIGTERM']);
    expect(result.output).toContain('stopped: controller stopped by SIGTERM');
    expect(result).toMatchObject({ code: 0, signal: null });
  });

  it('runs once and to its end when the signal comes twice', async () => {
    const result = await runUntilExit(['SIGINT', 'SIGINT']);
    expect(result.output.match(/stopped:/g)).toEqual(['stopped:']);
    expect(result).toMatchObject({ code: 0, signal: null });
  });
});
