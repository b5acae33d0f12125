import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  // Each spec starts its own console (own port, own data folder); one at a time on a 2-core machine.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  outputDir: '.test-results/playwright',
  reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
  use: {
    browserName: 'chromium',
    launchOptions: {
      // Playwright cannot download its own browser here: Debian's Chromium, with its background traffic off.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
