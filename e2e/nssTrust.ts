import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import config from '../playwright.config';

/**
 * A Chromium that trusts these CA certificates the way a user's machine would: a HOME of its own whose
 * NSS database (`~/.pki/nssdb`, what Chromium on Linux reads) holds them as trusted for servers, put there
 * with NSS's certutil (Debian's libnss3-tools). Chromium then verifies the console's certificate fully:
 * chain, host name, dates, key usage; no error is waved through.
 */
export async function browserTrusting(caFiles: string[]): Promise<{ browser: Browser; close(): Promise<void> }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-nss-home-'));
  const db = path.join(home, '.pki', 'nssdb');
  fs.mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  for (const file of caFiles) {
    const nickname = `EWC test CA ${crypto.randomUUID().slice(0, 8)}`;
    execFileSync('certutil', ['-A', '-d', `sql:${db}`, '-n', nickname, '-t', 'C,,', '-i', file]);
  }
  const launchOptions = config.use?.launchOptions ?? {};
  const browser = await chromium.launch({ ...launchOptions, env: { ...process.env, HOME: home } });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
