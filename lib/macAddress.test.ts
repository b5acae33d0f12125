import { describe, expect, it } from 'vitest';
import { macDigits, macSchema, normalizeMac } from './macAddress';
import { predownloadTargetsSchema, targetsMatcher } from './rollout';

describe('MAC forms', () => {
  it('normalises the MAC forms the EWC accepts and refuses anything else', () => {
    expect(normalizeMac('70f0.96a1.4e20')).toBe('70f0.96a1.4e20');
    expect(normalizeMac('70:F0:96:A1:4E:20')).toBe('70f0.96a1.4e20');
    expect(normalizeMac('70-f0-96-a1-4e-20')).toBe('70f0.96a1.4e20');
    for (const bad of ['../../etc/passwd', '70:f0-96:a1:4e:20', '70f0.96a1.4e2', '70f0.96a1.4e20\u0000', '']) expect(normalizeMac(bad)).toBeNull();
    expect(macSchema.safeParse('not-a-mac').error?.issues[0].message).toBe('must be a MAC address like 2c5a.0f40.6920 or 2c:5a:0f:40:69:20');
  });

  it('gives the digits alone, whatever form a MAC or part of one was typed in', () => {
    expect(macDigits('70:F0:96:A1:4E:20')).toBe('70f096a14e20');
    expect(macDigits('70f0.96a1.4e20')).toBe('70f096a14e20');
    expect(macDigits('A1-4E')).toBe('a14e');
  });

  it('takes predownload targets in any MAC form, refuses what is no MAC, and still matches targets stored in another form', () => {
    expect(predownloadTargetsSchema.parse({ macs: ['70:F0:96:A1:4E:20'] })).toEqual({ macs: ['70f0.96a1.4e20'] });
    expect(predownloadTargetsSchema.safeParse({ macs: ['AP-1'] }).success).toBe(false);
    const ap = { name: 'AP-1', mac: '70f0.96a1.4e20', model: 'C9105AXI-B', imageType: 'ap1g8', siteTag: 'default-site-tag' };
    expect(targetsMatcher({ macs: ['70-F0-96-A1-4E-20'] })(ap)).toBe(true);
    expect(targetsMatcher({ macs: ['70f0.96a1.4e21'] })(ap)).toBe(false);
  });
});
