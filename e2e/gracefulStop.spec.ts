import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const COMMANDS = ['Save', 'Save & Download', 'Activate', 'Cancel', 'Export configuration'];

function eventLines(consoleProcess: ConsoleProcess): string[] {
  const db = new Database(path.join(consoleProcess.dataDir, 'ewc.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT text FROM event_log ORDER BY id').all() as { text: string }[]).map((row) => row.text);
  } finally {
    db.close();
  }
}

async function expectCommandsDisabled(page: Page): Promise<void> {
  for (const name of COMMANDS) await expect(page.getByRole('button', { name, exact: true }), name).toBeDisabled();
}

test.describe('The page when the console stops', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('a graceful stop with a page open is logged, and the page says the console stopped and why, its commands off', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    const connection = page.getByTestId('connection');
    await expect(connection).toHaveText('Live');
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();

    expect(await consoleProcess.kill('SIGTERM')).toBe(0);

    expect(eventLines(consoleProcess)).toContain('Controller stopping: controller stopped by SIGTERM; a running upgrade resumes at the next start');
    await expect(page.getByTestId('connection-notice')).toContainText('Console stopped (controller stopped by SIGTERM).');
    await expect(page.getByTestId('connection-notice')).toContainText('commands are off');
    await expect(connection).toHaveText('Stopped, reconnecting…');
    await expectCommandsDisabled(page);
    await page.screenshot({ path: path.join('.test-results', 'console-stopped.png') });
  });

  test('a console that vanishes without a word is said to be unreachable, its commands off', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    const connection = page.getByTestId('connection');
    await expect(connection).toHaveText('Live');

    await consoleProcess.kill('SIGKILL');

    await expect(page.getByTestId('connection-notice')).toContainText('Console unreachable since ');
    await expect(connection).toHaveText('Unreachable, reconnecting…');
    await expectCommandsDisabled(page);
  });
});
