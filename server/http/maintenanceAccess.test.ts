import { describe, expect, it } from 'vitest';
import { accessFor, allows } from './accessPolicy';

describe('who may use the maintenance window routes', () => {
  it.each([
    ['GET', '/api/upgrades'],
    ['GET', '/api/upgrades/12'],
    ['GET', '/api/upgrades/export'],
    ['GET', '/api/upgrades/12/export'],
  ])('a monitor may read %s %s', (method, path) => {
    expect(allows(accessFor(method, path), 'monitor')).toBe(true);
  });

  it.each([
    ['POST', '/api/software-upgrade/pause'],
    ['POST', '/api/software-upgrade/resume'],
    ['POST', '/api/software-upgrade/abort'],
    ['PUT', '/api/software-upgrade/schedule/3'],
    ['DELETE', '/api/software-upgrade/schedule/3'],
    ['POST', '/api/ap-image/0a00.0010.0001/retry'],
    ['POST', '/api/ap-image/0a00.0010.0001/exclude'],
    ['DELETE', '/api/ap-image/0a00.0010.0001/exclude'],
    ['GET', '/api/upgrades/12/anything'],
  ])('only an admin may %s %s', (method, path) => {
    expect(allows(accessFor(method, path), 'monitor')).toBe(false);
    expect(allows(accessFor(method, path), 'admin')).toBe(true);
  });
});
