import { describe, expect, it } from 'vitest';
import { httpsLocation, plainHttpModeFor } from './plainHttp';

describe('what plain HTTP does for a HOST', () => {
  it('serves the console only on a loopback address, where nobody else can listen in', () => {
    for (const host of ['127.0.0.1', '127.5.5.5', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(plainHttpModeFor(host), host).toBe('serve');
  });

  it('only redirects to HTTPS on any other address, a wildcard included', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.2', '192.0.2.1', 'fe80::1', '2001:db8::5', 'ewc.example.com', '::ffff:10.0.0.2']) expect(plainHttpModeFor(host), host).toBe('redirect');
  });

  it('only redirects on a loopback address too when the admin says so (EWC_PLAIN_HTTP_REDIRECT)', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '10.0.0.2']) expect(plainHttpModeFor(host, true), host).toBe('redirect');
  });

  it('sends a request to the same path on the HTTPS port, under the name it used', () => {
    expect(httpsLocation('ewc.example.com:3000', 3443, '/administration/x?y=1')).toBe('https://ewc.example.com:3443/administration/x?y=1');
    expect(httpsLocation('[fd00::5]:3000', 443, '/')).toBe('https://[fd00::5]/');
    expect(httpsLocation('10.0.0.2', 3443, '//evil.example/')).toBe('https://10.0.0.2:3443//evil.example/');
  });
});
