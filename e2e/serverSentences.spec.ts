import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { ed25519PublicKeyLine } from '../server/sim/testing/sshPublicKey';
import { ADMIN_PASSWORD, startConsole, type ConsoleProcess } from './consoleProcess';

const IMAGE_PATH = '/EWC/17_12_1_5';
const NEW_VERSION = '17.12.1.5';
const DEMO_APS = 6;

/** The page's words come from the catalogues: the test reads the same files, so it checks the page uses them. */
type Catalogue = Record<string, Record<string, string>>;
const catalogue = (locale: string): Catalogue => JSON.parse(fs.readFileSync(path.join('messages', `${locale}.json`), 'utf8')) as Catalogue;
// As the page formats them: numbers go in as the server wrote them (lib/serverSentences.ts).
const say = (locale: string, code: string, values: Record<string, string>) => String(new IntlMessageFormat(catalogue(locale).serverSentences[code], locale).format(values));

function tftpPortOf(consoleProcess: ConsoleProcess): string {
  const match = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output());
  if (!match) throw new Error(`No demo TFTP server in the console output:\n${consoleProcess.output()}`);
  return match[1];
}

/** Logs in on the login page in whatever language it is shown, with that language's labels. */
async function logInAs(page: Page, consoleProcess: ConsoleProcess, username: string, password: string): Promise<void> {
  await page.goto(`${consoleProcess.url}/login`);
  const m = catalogue((await page.locator('html').getAttribute('lang')) ?? 'en');
  await page.getByLabel(m.login.userName, { exact: true }).fill(username);
  await page.getByLabel(m.login.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: m.login.submit }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function logOut(page: Page): Promise<void> {
  const m = catalogue((await page.locator('html').getAttribute('lang')) ?? 'en');
  await page.getByRole('button', { name: m.topBar.logout }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/login'));
}

/** A browser with nothing remembered: no session, no language cookie; English asked for. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

async function upgradeMessage(consoleProcess: ConsoleProcess, page: Page): Promise<{ message: string; messageSentence: { code: string } | null; stage: string }> {
  const answer = await page.request.get(`${consoleProcess.url}/api/software-upgrade`, { headers: { 'accept-language': 'fr' } });
  expect(answer.status()).toBe(200);
  return (await answer.json()) as { message: string; messageSentence: { code: string } | null; stage: string };
}

async function apMacs(consoleProcess: ConsoleProcess, page: Page): Promise<string[]> {
  const answer = await page.request.get(`${consoleProcess.url}/api/ap-image`);
  expect(answer.status()).toBe(200);
  return ((await answer.json()) as { aps: { mac: string }[] }).aps.map((ap) => ap.mac);
}

/** A change by a script, with the page's session (a write needs its origin). */
function write(consoleProcess: ConsoleProcess, page: Page, method: 'POST' | 'DELETE', route: string) {
  return page.request.fetch(`${consoleProcess.url}${route}`, { method, headers: { origin: consoleProcess.url }, ...(method === 'POST' ? { data: {} } : {}) });
}

test.describe("The server's sentences and the account's language", () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('the upgrade message the server writes appears in es, fr and zh-CN on the page while the API keeps its English', async ({ browser }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    const page = await freshPage(browser);
    await logInAs(page, consoleProcess, 'admin', ADMIN_PASSWORD);
    const en = catalogue('en');
    await page.getByLabel(en.profileForm.mode, { exact: true }).selectOption('TFTP');
    await page.getByLabel(en.profileForm.imageServer, { exact: true }).fill('127.0.0.1');
    await page.getByLabel(en.profileForm.imagePath, { exact: true }).fill(IMAGE_PATH);
    await page.getByLabel(en.profileForm.port, { exact: true }).fill(tftpPortOf(consoleProcess));
    await page.getByRole('button', { name: en.upgradeButtons.saveAndDownload, exact: true }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });

    const english = `Predownload of ${NEW_VERSION} complete on ${DEMO_APS} AP(s). Activate to reload the network.`;
    await expect(page.getByTestId('upgrade-message')).toHaveText(english);
    for (const locale of ['es', 'fr', 'zh-CN']) {
      await page.getByTestId('language-picker').selectOption(locale);
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      const translated = say(locale, 'predownloadComplete', { version: NEW_VERSION, count: String(DEMO_APS) });
      expect(translated).not.toBe(english);
      await expect(page.getByTestId('upgrade-message')).toHaveText(translated);
      // Scripts read the API: the same English, whatever the page's (or the request's) language, with the code beside it.
      expect(await upgradeMessage(consoleProcess, page)).toMatchObject({ message: english, messageSentence: { code: 'predownloadComplete' } });
      await page.screenshot({ path: path.join('.test-results', `server-sentences-${locale}-activate.png`), fullPage: true });
    }

    // A refusal of the upgrade's state, said in French on the page while the API answers its English: a script
    // excludes every AP from activation while the page's Activate confirmation is open.
    await page.getByTestId('language-picker').selectOption('fr');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    const fr = catalogue('fr');
    await page.getByRole('button', { name: fr.upgradeButtons.activate, exact: true }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    const macs = await apMacs(consoleProcess, page);
    expect(macs).toHaveLength(DEMO_APS);
    for (const mac of macs) expect((await write(consoleProcess, page, 'POST', `/api/ap-image/${mac}/exclude`)).status()).toBe(202);
    const byScript = await write(consoleProcess, page, 'POST', '/api/software-upgrade/activate');
    expect({ status: byScript.status(), body: await byScript.json() }).toEqual({
      status: 409,
      body: { error: 'Every AP is excluded from activation: nothing to reload.', code: 'everyApExcluded' },
    });
    await page.getByRole('dialog').getByRole('button', { name: fr.confirm.activateNow }).click();
    const refusalFr = say('fr', 'everyApExcluded', {});
    expect(refusalFr).not.toBe('Every AP is excluded from activation: nothing to reload.');
    await expect(page.getByTestId('action-message')).toContainText(refusalFr);
    await page.screenshot({ path: path.join('.test-results', 'server-sentences-fr-refusal.png'), fullPage: true });
    for (const mac of macs) expect((await write(consoleProcess, page, 'DELETE', `/api/ap-image/${mac}/exclude`)).status()).toBe(202);
    await page.getByTestId('language-picker').selectOption('zh-CN');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

    // The end of the upgrade, said in Chinese: every AP runs the version, and what the controller runs.
    const zh = catalogue('zh-CN');
    await page.getByRole('button', { name: zh.upgradeButtons.activate, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: zh.confirm.activateNow }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
    const ended = await upgradeMessage(consoleProcess, page);
    expect(ended.message).toMatch(new RegExp(`^${DEMO_APS} of ${DEMO_APS} APs run ${NEW_VERSION.replace(/\./g, '\\.')}; controller running \\S+$`));
    const controllerVersion = ended.message.split('controller running ')[1];
    await expect(page.getByTestId('upgrade-message')).toHaveText(
      say('zh-CN', 'networkCompleted', { running: String(DEMO_APS), total: String(DEMO_APS), version: NEW_VERSION, others: '', controllerVersion }),
    );
    await page.screenshot({ path: path.join('.test-results', 'server-sentences-zh-CN-completed.png'), fullPage: true });
  });

  test('a language picked by one account is used again after logout and login in a fresh browser, and another account keeps its own', async ({ browser }) => {
    consoleProcess = await startConsole();
    const monitor = { username: 'noc-es', password: 'Granite-Orchid-Ferry-19' };
    const first = await freshPage(browser);
    await logInAs(first, consoleProcess, 'admin', ADMIN_PASSWORD);
    const created = await first.request.post(`${consoleProcess.url}/api/users`, { headers: { origin: consoleProcess.url }, data: { ...monitor, role: 'monitor' } });
    expect(created.status()).toBe(201);

    // The other account picks Spanish in its own browser.
    const other = await freshPage(browser);
    await logInAs(other, consoleProcess, monitor.username, monitor.password);
    await expect(other.locator('html')).toHaveAttribute('lang', 'en');
    await other.getByTestId('language-picker').selectOption('es');
    await expect(other.locator('html')).toHaveAttribute('lang', 'es');
    await other.context().close();

    // The admin picks French, and logs out: this browser's cookie now says French.
    await first.getByTestId('language-picker').selectOption('fr');
    await expect(first.locator('html')).toHaveAttribute('lang', 'fr');
    await logOut(first);

    // A fresh browser asking for English: the login page is English (no account yet), the console French once logged in.
    const again = await freshPage(browser);
    await again.goto(`${consoleProcess.url}/login`);
    await expect(again.locator('html')).toHaveAttribute('lang', 'en');
    await logInAs(again, consoleProcess, 'admin', ADMIN_PASSWORD);
    await expect(again.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(again.getByRole('heading', { level: 1 })).toHaveText(catalogue('fr').nav.softwareUpgrade);
    await expect(again.getByTestId('language-picker')).toHaveValue('fr');

    // The other account in the admin's browser (whose cookie says French) still gets its Spanish.
    await logInAs(first, consoleProcess, monitor.username, monitor.password);
    await expect(first.locator('html')).toHaveAttribute('lang', 'es');
    await expect(first.getByRole('heading', { level: 1 })).toHaveText(catalogue('es').nav.softwareUpgrade);

    // The picker's save is refused for a language the console does not have, and nothing changes.
    const refused = await again.request.put(`${consoleProcess.url}/api/auth/locale`, { headers: { origin: consoleProcess.url }, data: { locale: 'de' } });
    expect(refused.status()).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'Language must be one of en, es, fr, zh-CN', code: 'localeInvalid' });
    await again.reload();
    await expect(again.locator('html')).toHaveAttribute('lang', 'fr');
  });

  test('a refusal the API gives a code, said in Spanish on the page while the API keeps its English', async ({ browser }) => {
    consoleProcess = await startConsole();
    const page = await freshPage(browser);
    await logInAs(page, consoleProcess, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('language-picker').selectOption('es');
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    const es = catalogue('es');
    await page.getByRole('link', { name: es.nav.userAdministration }).click();
    const form = page.getByRole('form', { name: es.sshKeys.addForm });
    const publicKey = ed25519PublicKeyLine('noc@laptop');
    for (const attempt of [1, 2]) {
      await form.getByLabel(es.sshKeys.publicKey, { exact: true }).fill(publicKey);
      await form.getByRole('button', { name: es.sshKeys.addKey }).click();
      if (attempt === 1) await expect(page.getByTestId('ssh-keys-message')).toContainText('ssh-ed25519');
    }
    await expect(page.getByTestId('ssh-keys-message')).toHaveText(say('es', 'sshKeyExists', { username: 'admin' }));
    const refused = await page.request.post(`${consoleProcess.url}/api/users/admin/ssh-keys`, { headers: { origin: consoleProcess.url }, data: { publicKey } });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toEqual({ error: 'admin already has this key', code: 'sshKeyExists', params: { username: 'admin' } });
  });
});
