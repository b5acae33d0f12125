import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { redactedDatabaseUrl } from './store/postgres/databaseUrl';

describe('catalog settings in the environment', () => {
  it('documents its defaults: a minimum rate, an overall deadline, loopback only in the demo, no other image origins', () => {
    const demo = loadConfig({});
    expect(demo).toMatchObject({ catalogTimeoutMs: 15_000, catalogMinBytesPerSecond: 8192, catalogDeadlineMs: 7_200_000, catalogAllowLoopback: true, catalogImageOrigins: [] });
    expect(loadConfig({ EWC_DEMO: '0' }).catalogAllowLoopback).toBe(false);
    expect(loadConfig({ EWC_DEMO: '0', EWC_CATALOG_ALLOW_LOOPBACK: '1' }).catalogAllowLoopback).toBe(true);
  });

  it('takes image origins as https origins only, and refuses a deadline shorter than the idle timeout', () => {
    expect(loadConfig({ EWC_CATALOG_IMAGE_ORIGINS: 'https://images.example.com, https://10.0.0.9:8443/' }).catalogImageOrigins).toEqual(['https://images.example.com', 'https://10.0.0.9:8443']);
    for (const bad of ['http://images.example.com', 'https://images.example.com/path', 'images.example.com']) {
      expect(() => loadConfig({ EWC_CATALOG_IMAGE_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ EWC_CATALOG_TIMEOUT_MS: '20000', EWC_CATALOG_DEADLINE_MS: '10000' })).toThrow('EWC_CATALOG_DEADLINE_MS: must be at least EWC_CATALOG_TIMEOUT_MS');
    expect(() => loadConfig({ EWC_CATALOG_MIN_BYTES_PER_SECOND: '-1' })).toThrow(ConfigError);
  });
});

describe('EWC_REQUIRE_SIGNED_IMAGES', () => {
  it('asks an admin about an unsigned bundle by default; 1 refuses it, 0 takes its SHA-256 alone; anything else stops the start with the accepted values', () => {
    expect(loadConfig({}).unsignedImages).toBe('ask');
    expect(loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: 'ask' }).unsignedImages).toBe('ask');
    expect(loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: '1' }).unsignedImages).toBe('refuse');
    expect(loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: 'true' }).unsignedImages).toBe('refuse');
    expect(loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: '0' }).unsignedImages).toBe('sha256-only');
    expect(loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: 'false' }).unsignedImages).toBe('sha256-only');
    for (const bad of ['yes', 'ASK', '2', '']) {
      expect(() => loadConfig({ EWC_REQUIRE_SIGNED_IMAGES: bad }), bad).toThrow('EWC_REQUIRE_SIGNED_IMAGES: ask (hold an unsigned bundle for an admin to trust), 1 (refuse it) or 0 (SHA-256 only)');
    }
  });
});

describe('EWC_DATABASE_URL', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');

  it('selects PostgreSQL when set and the SQLite file in the data folder when not', () => {
    expect(loadConfig({ EWC_DATA_DIR: '/srv/ewc' }).database).toEqual({ engine: 'sqlite', dataDir: '/srv/ewc' });
    for (const url of ['postgres://ewc:s3cret@db.example.com:5432/ewc', 'postgresql://ewc@127.0.0.1/ewc_console']) {
      expect(loadConfig({ EWC_DATABASE_URL: url, EWC_SECRET_KEY: KEY }).database).toEqual({ engine: 'postgres', url });
    }
  });

  it('wants EWC_SECRET_KEY with it: every node opens the secrets sealed in the shared database with the same key', () => {
    expect(() => loadConfig({ EWC_DATABASE_URL: 'postgres://ewc@db.example.com/ewc' })).toThrow('EWC_SECRET_KEY: required with EWC_DATABASE_URL');
  });

  it('refuses what is not a PostgreSQL URL with a database, and never repeats the password it was given', () => {
    for (const bad of [
      'mysql://ewc:s3cret-pw@db/ewc',
      'postgres://ewc:s3cret-pw@db.example.com:5432',
      'postgres://ewc:s3cret-pw@db/ewc/extra',
      'ewc:s3cret-pw@db/ewc',
      'postgres://ewc:s3cret-pw@:5432/ewc',
      '',
    ]) {
      let message = '';
      try {
        loadConfig({ EWC_DATABASE_URL: bad, EWC_SECRET_KEY: KEY });
      } catch (error) {
        expect(error, bad).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message, bad).toContain('EWC_DATABASE_URL: a PostgreSQL URL, postgres://user:password@host:5432/database');
      expect(message, bad).not.toContain('s3cret-pw');
    }
  });

  it('shows the URL in log lines with its password masked', () => {
    expect(redactedDatabaseUrl('postgres://ewc:s3cret-pw@db.example.com:5432/ewc')).toBe('postgres://ewc:***@db.example.com:5432/ewc');
    expect(redactedDatabaseUrl('postgres://ewc@db.example.com/ewc')).toBe('postgres://ewc@db.example.com/ewc');
  });
});

describe('EWC_NODE_NAME and EWC_LEADER_TIMEOUT_MS', () => {
  it('name the node after its host and give a standby 15 s to take over by default', () => {
    const node = loadConfig({}).node;
    expect(node.leaderTimeoutMs).toBe(15_000);
    expect(node.name).toMatch(/^[A-Za-z0-9._-]{1,63}$/);
    expect(loadConfig({ EWC_NODE_NAME: 'ewc-b.site_2', EWC_LEADER_TIMEOUT_MS: '5000' }).node).toEqual({ name: 'ewc-b.site_2', leaderTimeoutMs: 5000 });
    expect(loadConfig({ EWC_NODE_NAME: 'n'.repeat(63), EWC_LEADER_TIMEOUT_MS: '1000' }).node).toEqual({ name: 'n'.repeat(63), leaderTimeoutMs: 1000 });
  });

  it('stop the start with what is accepted when a name or a timeout is not', () => {
    for (const bad of ['', 'node b', 'n'.repeat(64), 'ewc/b', 'nœud', '<b>']) {
      expect(() => loadConfig({ EWC_NODE_NAME: bad }), bad).toThrow('EWC_NODE_NAME: 1 to 63 characters of A-Z, a-z, 0-9, dot, underscore and hyphen (default: the host name)');
    }
    expect(() => loadConfig({ EWC_LEADER_TIMEOUT_MS: '999' })).toThrow('EWC_LEADER_TIMEOUT_MS: at least 1000 ms (default 15000)');
    expect(() => loadConfig({ EWC_LEADER_TIMEOUT_MS: '0' })).toThrow('EWC_LEADER_TIMEOUT_MS: at least 1000 ms');
    expect(() => loadConfig({ EWC_LEADER_TIMEOUT_MS: '1.5e3x' })).toThrow('EWC_LEADER_TIMEOUT_MS: a number of milliseconds, at least 1000 (default 15000)');
    expect(() => loadConfig({ EWC_LEADER_TIMEOUT_MS: '2500.5' })).toThrow('EWC_LEADER_TIMEOUT_MS: a whole number of milliseconds');
  });
});
