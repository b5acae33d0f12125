import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const UPGRADE_PAGE = '/administration/software-management/software-upgrade';

test.describe('admin access', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('an admin runs an upgrade while a monitor watches the same live table with the buttons disabled', async ({ page, browser }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '8000' });
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];

    await page.goto(`${consoleProcess.url}${UPGRADE_PAGE}`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, UPGRADE_PAGE);
    await expect(page).toHaveURL(new RegExp(`${UPGRADE_PAGE}$`));
    await expect(page.getByTestId('welcome')).toHaveText('Welcome admin');

    await page.getByRole('link', { name: 'User Administration' }).click();
    await page.getByLabel('User Name', { exact: true }).fill('noc');
    await page.getByLabel('Password', { exact: true }).fill('noc-Monitor-Quartz-1');
    await page.getByLabel('Role', { exact: true }).selectOption('monitor');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.locator('[data-testid="user-row"][data-username="noc"]')).toBeVisible();

    const monitorContext = await browser.newContext();
    const monitor = await monitorContext.newPage();
    await logIn(monitor, consoleProcess, 'noc', 'noc-Monitor-Quartz-1', UPGRADE_PAGE);
    await expect(monitor.getByTestId('role')).toHaveText('monitor');
    await expect(monitor.getByTestId('connection')).toHaveText('Live');
    for (const name of ['Save', 'Save & Download', 'Activate', 'Cancel']) {
      await expect(monitor.getByRole('button', { name, exact: true })).toBeDisabled();
    }
    expect((await monitor.request.post(`${consoleProcess.url}/api/software-upgrade/cancel`, { headers: { origin: consoleProcess.url } })).status()).toBe(403);

    await page.goto(`${consoleProcess.url}${UPGRADE_PAGE}`);
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    // The monitor's page moves with the admin's upgrade, without a reload.
    await expect(monitor.locator('tr[data-status="Predownloading"]').first()).toBeVisible({ timeout: 30_000 });
    await expect(monitor.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(monitor.getByRole('button', { name: 'Activate', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Activate', exact: true })).toBeEnabled();

    await page.getByRole('link', { name: 'User Administration' }).click();
    const audit = page.getByTestId('audit-row');
    await expect(audit.filter({ hasText: 'upgrade.download' })).toHaveCount(1);
    await expect(audit.filter({ hasText: 'user.create' })).toHaveCount(1);
    const exported = await (await page.request.get(`${consoleProcess.url}/api/audit/export`)).text();
    expect(exported).toMatch(/admin@127\.0\.0\.1 profile\.save /);
    expect(exported).not.toContain('noc-Monitor-Quartz-1');
    await monitorContext.close();
  });

  test('wrong passwords are refused, then the account locks with a clear message; logging out ends the session', async ({ page }) => {
    consoleProcess = await startConsole();
    await page.goto(`${consoleProcess.url}/login`);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel('User Name', { exact: true }).fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(`wrong-${attempt}`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect(page.getByTestId('login-error')).toHaveText(attempt < 5 ? 'Invalid username or password' : /locked/i, { timeout: 10_000 });
    }
    await page.getByLabel('User Name', { exact: true }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByTestId('login-error')).toContainText(/locked .*try again at \d\d:\d\d:\d\d/i);
    expect(consoleProcess.output()).not.toContain(ADMIN_PASSWORD);
  });

  test('log out ends the session on the server and goes to the login page once: the old cookie no longer opens the API', async ({ page, context }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    const cookie = (await context.cookies()).find((c) => c.name === 'ewc_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // The server drops the page's live socket with the session: the page must not take that for a lost
    // session and navigate a second time (one of two navigations at once is aborted), nor say the console is unreachable.
    const navigations: string[] = [];
    const aborted: string[] = [];
    let connectionWhileLeaving: string | null = null;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations.push(new URL(request.url()).pathname + new URL(request.url()).search);
    });
    page.on('requestfailed', (request) => {
      if (request.resourceType() === 'document') aborted.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    // The logout's answer reaches the page late, as on a loaded console: the dropped socket comes first.
    await page.route('**/api/auth/logout', async (route) => {
      const response = await route.fetch();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      connectionWhileLeaving = await page.getByTestId('connection').textContent();
      await route.fulfill({ response });
    });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await expect(page.getByLabel('User Name', { exact: true })).toBeVisible();
    // Not "Unreachable, reconnecting…": the console did not go away, this tab left it.
    expect(connectionWhileLeaving).toBe('Logging out…');
    expect(aborted).toEqual([]);
    expect(navigations).toEqual(['/login']);
    const replay = await fetch(`${consoleProcess.url}/api/ap-image`, { headers: { cookie: `ewc_session=${cookie!.value}` } });
    expect(replay.status).toBe(401);
  });
});
