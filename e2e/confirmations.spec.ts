import path from 'node:path';
import { expect, test } from '@playwright/test';
import { formatDateTime } from '../lib/dateTime';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

/** A `datetime-local` value a day from now, in the browser's (this machine's) zone, to the minute. */
function tomorrowLocal(): { local: string; iso: string } {
  const at = new Date(Date.now() + 24 * 3600_000);
  at.setSeconds(0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { local: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`, iso: at.toISOString() };
}

test.describe('Confirmations of commands on the whole network', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('a scheduled Activate is confirmed when set, and Cancel schedule names the action and when it was due', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    const { controllerTimeZone } = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json();
    const { local, iso } = tomorrowLocal();
    const due = `${formatDateTime(iso, { timeZone: controllerTimeZone })} (controller, ${controllerTimeZone})`;

    await page.getByLabel('Start at (empty: now)').fill(local);
    await page.getByRole('button', { name: 'Activate' }).click();
    const scheduling = page.getByRole('dialog', { name: 'Schedule Activate?' });
    await expect(scheduling).toContainText(`At ${due}`);
    await expect(scheduling).toContainText('As of now no AP has completed a predownload: none would reload.');
    await scheduling.getByRole('button', { name: 'Schedule activation' }).click();
    const scheduled = page.getByTestId('scheduled');
    await expect(scheduled).toHaveCount(1);
    await expect(scheduled).toContainText(`Activate at ${due}`);

    await scheduled.getByRole('button', { name: 'Cancel schedule' }).click();
    const cancelling = page.getByRole('dialog', { name: 'Cancel the scheduled Activate?' });
    await expect(cancelling).toContainText(`It is due at ${due}; admin set it.`);
    await expect(cancelling).toContainText('It will not run: no AP reloads then. Nothing else changes.');
    await cancelling.screenshot({ path: path.join('.test-results', 'confirm-cancel-schedule.png') });
    await cancelling.getByRole('button', { name: 'Keep it' }).click();
    await expect(cancelling).toHaveCount(0);
    expect((await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json()).scheduled).toHaveLength(1);

    await scheduled.getByRole('button', { name: 'Cancel schedule' }).click();
    await cancelling.getByRole('button', { name: 'Cancel the schedule' }).click();
    await expect(scheduled).toHaveCount(0);
    expect((await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json()).scheduled).toEqual([]);
  });

  test('the API acts at once, as IOS does: no confirmation there', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    const at = new Date(Date.now() + 24 * 3600_000).toISOString();
    const answer = await page.request.post(`${consoleProcess.url}/api/software-upgrade/activate`, { headers: { origin: consoleProcess.url }, data: { at } });
    expect(answer.status()).toBe(202);
    const { scheduled } = await answer.json();
    const cancelled = await page.request.delete(`${consoleProcess.url}/api/software-upgrade/schedule/${scheduled}`, { headers: { origin: consoleProcess.url } });
    expect(cancelled.status()).toBe(200);
  });
});
