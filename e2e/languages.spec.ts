import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, startConsole, type ConsoleProcess } from './consoleProcess';

const IMAGE_PATH = '/EWC/17_12_1_5';
const NEW_VERSION = '17.12.1.5';
const DEMO_APS = 6;

/** The page's words come from the catalogues: the test reads the same files, so it checks the page uses them. */
type Catalogue = Record<string, Record<string, string>>;
const catalogue = (locale: string): Catalogue => JSON.parse(fs.readFileSync(path.join('messages', `${locale}.json`), 'utf8')) as Catalogue;
const format = (locale: string, message: string, values: Record<string, string | number>) => String(new IntlMessageFormat(message, locale).format(values));

// Each language as a browser asking for it would send it (Accept-Language), so the first visit picks it.
const LANGUAGES = [
  { locale: 'en', browser: 'en-US' },
  { locale: 'es', browser: 'es-ES' },
  { locale: 'fr', browser: 'fr-FR' },
  { locale: 'zh-CN', browser: 'zh-CN' },
] as const;

function tftpPortOf(consoleProcess: ConsoleProcess): string {
  const match = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output());
  if (!match) throw new Error(`No demo TFTP server in the console output:\n${consoleProcess.output()}`);
  return match[1];
}

async function logInAs(page: Page, consoleProcess: ConsoleProcess, m: Catalogue): Promise<void> {
  await page.goto(consoleProcess.url);
  await expect(page.getByRole('heading', { name: m.login.title })).toBeVisible();
  await page.getByLabel(m.login.userName, { exact: true }).fill('admin');
  await page.getByLabel(m.login.password, { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: m.login.submit }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function fillTftpProfile(page: Page, m: Catalogue, port: string): Promise<void> {
  await page.getByLabel(m.profileForm.mode, { exact: true }).selectOption('TFTP');
  await page.getByLabel(m.profileForm.imageServer, { exact: true }).fill('127.0.0.1');
  await page.getByLabel(m.profileForm.imagePath, { exact: true }).fill(IMAGE_PATH);
  await page.getByLabel(m.profileForm.port, { exact: true }).fill(port);
}

/** Whether anything on the page sticks out sideways: the page itself, the AP table, the form's rows of buttons. */
async function overflows(page: Page) {
  return page.evaluate(() => {
    const sticking = (selector: string) =>
      [...document.querySelectorAll<HTMLElement>(selector)].filter((element) => element.scrollWidth - element.clientWidth > 1).map((element) => element.className || element.tagName);
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      boxes: [...sticking('.table-wrap'), ...sticking('.form-actions'), ...sticking('.field'), ...sticking('.panel'), ...sticking('.stage-bar'), ...sticking('.counters'), ...sticking('.topbar')],
    };
  });
}

test.describe('The console in each language', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  for (const { locale, browser } of LANGUAGES) {
    test.describe(locale, () => {
      test.use({ locale: browser, viewport: { width: 1280, height: 800 } });

      test(`runs the TFTP procedure (Save & Download, progress, Activate) in ${locale}`, async ({ page }) => {
        const m = catalogue(locale);
        consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
        await logInAs(page, consoleProcess, m);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(m.nav.softwareUpgrade);
        await expect(page.getByTestId('connection')).toHaveText(m.connection.live);
        await expect(page.getByTestId('ap-row')).toHaveCount(DEMO_APS);
        await expect(page.getByTestId('language-picker')).toHaveValue(locale);
        await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText(m.counters.no);

        await fillTftpProfile(page, m, tftpPortOf(consoleProcess));
        await page.getByRole('button', { name: m.upgradeButtons.saveAndDownload, exact: true }).click();
        await expect(page.getByTestId('action-message')).toHaveText(m.messages.downloadStarted);
        const bar = page.getByTestId('stage-bar');
        await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
        await expect(page.getByTestId('stage-Activate')).toContainText(m.stages.Activate);
        await expect(page.getByTestId('summary-completedPredownloading')).toHaveText(String(DEMO_APS));
        for (const row of await page.getByTestId('ap-row').all()) {
          // IOS's status words stay English in every language, as the EWC's own page shows them.
          await expect(row.locator('td[data-col="predownloadStatus"]')).toHaveText('Complete');
          await expect(row.locator('td[data-col="backupImage"]')).toContainText(NEW_VERSION);
        }
        await expect(page.getByRole('table', { name: m.apTable.caption }).locator('thead th').first()).toHaveText(m.apTable.apName);
        expect(await overflows(page)).toEqual({ page: 0, boxes: [] });
        await page.screenshot({ path: path.join('.test-results', `languages-${locale}-1280.png`), fullPage: true });

        await page.getByRole('button', { name: m.upgradeButtons.activate, exact: true }).click();
        const dialog = page.getByRole('dialog', { name: format(locale, m.confirm.activateTitle, { id: '1', count: DEMO_APS }) });
        await expect(dialog).toContainText(format(locale, m.confirm.allAtOnce, { count: DEMO_APS, version: NEW_VERSION }));
        await expect(dialog).toContainText(format(locale, m.confirm.controllerApReloadsWith, { version: '17.12.01.0.5' }));
        await dialog.screenshot({ path: path.join('.test-results', `languages-${locale}-confirm.png`) });
        await dialog.getByRole('button', { name: m.confirm.activateNow }).click();
        await expect(bar).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
        await expect(page.getByTestId('upgrade-stage')).not.toHaveText('—');
        for (const row of await page.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="primaryImage"]')).toContainText(NEW_VERSION);
        // The log shows IOS's lines verbatim, whatever the page's language.
        await expect(page.getByTestId('syslog')).toContainText('%INSTALL-5-INSTALL_COMPLETED_INFO');
      });

      if (locale !== 'en') {
        test(`holds its layout at 1280×800 and 1920×1080 in ${locale}, with a field error and the dialogs`, async ({ page }) => {
          const m = catalogue(locale);
          consoleProcess = await startConsole();
          await logInAs(page, consoleProcess, m);
          await expect(page.getByTestId('ap-row')).toHaveCount(DEMO_APS);
          await page.getByLabel(m.profileForm.port, { exact: true }).fill('70000');
          await page.getByRole('button', { name: m.upgradeButtons.save, exact: true }).click();
          await expect(page.getByTestId('error-tftp.port')).toHaveText(m.fieldErrors.portOutOfRange);
          for (const viewport of [
            { width: 1280, height: 800 },
            { width: 1920, height: 1080 },
          ]) {
            await page.setViewportSize(viewport);
            expect(await overflows(page), `${locale} at ${viewport.width} px`).toEqual({ page: 0, boxes: [] });
            await page.screenshot({ path: path.join('.test-results', `languages-${locale}-layout-${viewport.width}.png`), fullPage: true });
          }
          await page.getByRole('button', { name: m.console.exportConfiguration }).click();
          const exported = page.getByRole('dialog', { name: m.dialogs.exportTitle });
          await expect(exported).toBeVisible();
          expect(await exported.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(1);
        });
      }
    });
  }

  test.describe('User Administration in Spanish', () => {
    test.use({ locale: 'es-ES', viewport: { width: 1280, height: 800 } });

    test('a refused login, a field error and a new user in Spanish, while the API keeps its English words and codes', async ({ page }) => {
      const m = catalogue('es');
      consoleProcess = await startConsole();
      await page.goto(`${consoleProcess.url}/login`);
      await page.getByLabel(m.login.userName, { exact: true }).fill('admin');
      await page.getByLabel(m.login.password, { exact: true }).fill('not-the-admin-password');
      await page.getByRole('button', { name: m.login.submit }).click();
      await expect(page.getByTestId('login-error')).toHaveText(m.loginErrors.invalidCredentials, { timeout: 10_000 });
      await logInAs(page, consoleProcess, m);
      await page.getByRole('link', { name: m.nav.userAdministration }).click();
      await expect(page.getByRole('heading', { name: m.nav.userAdministration, level: 1 })).toBeVisible();
      await expect(page.getByRole('table', { name: m.users.tableCaption }).locator('thead th').first()).toHaveText(m.users.userName);

      const form = page.getByRole('form', { name: m.users.addForm });
      await form.getByLabel(m.users.userName, { exact: true }).fill('noc-es');
      await form.getByLabel(m.users.password, { exact: true }).fill('short');
      await form.getByRole('button', { name: m.users.addUser }).click();
      await expect(page.getByTestId('error-password')).toHaveText(m.fieldErrors.passwordTooShort);
      // The same refusal from the API: English, with the code the page translated.
      const refused = await page.request.post(`${consoleProcess.url}/api/users`, { headers: { origin: consoleProcess.url }, data: { username: 'noc-es', password: 'short', role: 'monitor' } });
      expect(refused.status()).toBe(400);
      expect(((await refused.json()) as { issues: unknown[] }).issues).toContainEqual({ path: 'password', message: 'Password must be at least 12 characters', code: 'passwordTooShort' });

      await form.getByLabel(m.users.password, { exact: true }).fill('Granite-Orchid-Ferry-19');
      await form.getByRole('button', { name: m.users.addUser }).click();
      await expect(page.getByTestId('users-message')).toHaveText(format('es', m.users.added, { username: 'noc-es', role: 'monitor' }));
      await expect(page.locator('[data-testid="user-row"][data-username="noc-es"]')).toBeVisible();
      // A refusal the API gives a code: the banner in Spanish.
      await form.getByLabel(m.users.userName, { exact: true }).fill('noc-es');
      await form.getByLabel(m.users.password, { exact: true }).fill('Granite-Orchid-Ferry-19');
      await form.getByRole('button', { name: m.users.addUser }).click();
      await expect(page.getByTestId('users-message')).toHaveText(format('es', (m.users.refusals as unknown as Record<string, string>).userExists, { username: 'noc-es' }));
      await expect(page.getByRole('table', { name: m.audit.caption })).toBeVisible();
      expect(await overflows(page)).toEqual({ page: 0, boxes: [] });
      await page.screenshot({ path: path.join('.test-results', 'languages-es-user-administration-1280.png'), fullPage: true });
    });
  });

  test.describe('AP Authorization in Chinese', () => {
    test.use({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });

    test('the list, an approval state and a new enrolment token in Chinese', async ({ page }) => {
      const m = catalogue('zh-CN');
      consoleProcess = await startConsole();
      await logInAs(page, consoleProcess, m);
      await page.getByRole('link', { name: m.nav.apAuthorization }).click();
      await expect(page.getByRole('heading', { name: m.nav.apAuthorization, level: 1 })).toBeVisible();
      const rows = page.getByTestId('ap-authorization-row');
      await expect(rows).toHaveCount(DEMO_APS);
      await expect(rows.first().locator('[data-col="status"]')).toHaveText(m.apAuthorization.statusApproved);
      await expect(rows.first().locator('[data-col="connected"]')).toHaveText(m.apAuthorization.yes);
      await expect(page.getByRole('table', { name: m.apAuthorization.caption }).locator('thead th').first()).toHaveText(m.apAuthorization.mac);

      await page.getByRole('button', { name: m.apAuthorization.createToken }).click();
      await expect(page.getByTestId('ap-authorization-message')).toHaveText(m.apAuthorization.tokenCreated);
      await expect(page.getByTestId('enrolment-token')).not.toBeEmpty();
      await expect(page.getByTestId('enrolment-token-row')).toContainText(format('zh-CN', m.apAuthorization.tokenRow, { id: 1, createdBy: 'admin', state: '' }).trim());
      expect(await overflows(page)).toEqual({ page: 0, boxes: [] });
      await page.screenshot({ path: path.join('.test-results', 'languages-zh-CN-ap-authorization-1280.png'), fullPage: true });
    });
  });

  test.describe('choosing', () => {
    test.use({ locale: 'es-ES' });

    test('the picker on the login page switches the language, a cookie keeps it, and the API answers in English with a stable code', async ({ page }) => {
      consoleProcess = await startConsole();
      await page.goto(`${consoleProcess.url}/login`);
      await expect(page.locator('html')).toHaveAttribute('lang', 'es');
      await page.getByTestId('language-picker').selectOption('fr');
      const fr = catalogue('fr');
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      await expect(page.getByRole('heading', { name: fr.login.title })).toBeVisible();
      expect((await page.context().cookies()).find((cookie) => cookie.name === 'NEXT_LOCALE')?.value).toBe('fr');
      // The cookie wins over Accept-Language (es) on the next visit, before and after login.
      await logInAs(page, consoleProcess, fr);
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

      // The same schema error: on the page in French, in the API in English, with its code.
      await page.getByLabel(fr.profileForm.imagePath, { exact: true }).fill('');
      await page.getByRole('button', { name: fr.upgradeButtons.save, exact: true }).click();
      await expect(page.getByTestId('error-tftp.imagePath')).toHaveText(fr.fieldErrors.imagePathRequired);
      const refused = await page.request.put(`${consoleProcess.url}/api/image-download-profile`, {
        headers: { origin: consoleProcess.url, 'accept-language': 'fr' },
        data: { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: '', port: 69, parallelMode: false },
      });
      expect(refused.status()).toBe(400);
      const body = (await refused.json()) as { issues: { path: string; message: string; code?: string }[] };
      expect(body.issues).toContainEqual({ path: 'imagePath', message: 'Image Path is required', code: 'imagePathRequired' });
    });
  });
});
