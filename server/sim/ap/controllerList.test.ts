import { describe, expect, it } from 'vitest';
import { ControllerList, parseControllerUrls } from './controllerList';

const A = 'https://127.0.0.1:5301';
const B = 'https://127.0.0.1:5302';
const C = 'https://127.0.0.1:5303';

describe('an AP controller list', () => {
  it('tries the primary, then the secondary and the tertiary, and round again', () => {
    const list = new ControllerList([A, B, C]);
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: null });
    expect(list.nextTry()).toEqual({ url: B, role: 'secondary', line: `Controller ${A} unreachable; trying secondary ${B}` });
    expect(list.nextTry()).toEqual({ url: C, role: 'tertiary', line: `Controller ${B} unreachable; trying tertiary ${C}` });
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: `Controller ${C} unreachable; trying primary ${A}` });
    expect(list.nextTry().url).toBe(B);
  });

  it('stays on the controller it joined while that one is up, even when it is not the primary', () => {
    const list = new ControllerList([A, B]);
    list.nextTry();
    list.nextTry();
    expect(list.join()).toBe(`Joined secondary controller ${B}`);
    expect(list.joined).toEqual({ url: B, role: 'secondary' });
    expect(list.nextTry()).toEqual({ url: B, role: 'secondary', line: null });
    expect(list.nextTry().url).toBe(B);
  });

  it('starts again from the primary when the controller it joined goes away', () => {
    const list = new ControllerList([A, B, C]);
    list.nextTry();
    list.nextTry();
    list.nextTry();
    list.join();
    list.lost();
    expect(list.joined).toBeNull();
    expect(list.lastJoined).toBe(C);
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: `Controller ${C} went away; trying primary ${A}` });
    expect(list.nextTry()).toEqual({ url: B, role: 'secondary', line: `Controller ${A} unreachable; trying secondary ${B}` });
    // A stopping notice and then the closed link are one loss, said once.
    list.join();
    list.lost();
    list.lost();
    expect(list.nextTry().line).toBe(`Controller ${B} went away; trying primary ${A}`);
  });

  it('refuses a bad list, saying where it came from', () => {
    expect(() => new ControllerList([A, A], 'AP AP-1: its controllers')).toThrow(`AP AP-1: its controllers: ${A} is listed twice: each controller once`);
  });

  it('with one controller, tries it again and again and says nothing of moving: there is nowhere to move', () => {
    const list = new ControllerList([A]);
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: null });
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: null });
    expect(list.join()).toBeNull();
    list.lost();
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: null });
    expect(list.join()).toBeNull();
  });

  it('says where it joined only when it moved to get there', () => {
    const list = new ControllerList([A, B]);
    list.nextTry();
    // The primary answered at the first try: nothing moved, nothing to say (a fleet's first join stays quiet).
    expect(list.join()).toBeNull();
    list.lost();
    expect(list.nextTry().line).toBe(`Controller ${A} went away; trying primary ${A}`);
    expect(list.join()).toBe(`Joined primary controller ${A}`);
  });

  it('after a reload the AP tries its primary first, without saying the controller went away', () => {
    const list = new ControllerList([A, B]);
    list.nextTry();
    list.nextTry();
    list.join();
    list.restart();
    expect(list.nextTry()).toEqual({ url: A, role: 'primary', line: null });
  });
});

describe('parseControllerUrls', () => {
  it('accepts one to three https://HOST:PORT URLs, primary first', () => {
    expect(parseControllerUrls([A], 'x')).toEqual([A]);
    expect(parseControllerUrls([`${A}/`, B, 'https://[::1]:5246'], 'x')).toEqual([A, B, 'https://[::1]:5246']);
  });

  it.each([
    [[A, B, C, 'https://127.0.0.1:5304'], '--controller: an AP has at most 3 controllers (primary, secondary, tertiary)'],
    [[], '--controller: an AP needs at least one controller'],
    [[A, 'http://127.0.0.1:5302'], '--controller: [1] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)'],
    [['https://127.0.0.1'], '--controller: [0] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)'],
    [['https://127.0.0.1:70000'], '--controller: [0] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)'],
    [['https://127.0.0.1:5246/capwap'], '--controller: [0] a controller is https://HOST:PORT (the AP port of a console node, e.g. https://10.0.0.2:5246)'],
    [[A, B, `${A}/`], `--controller: ${A} is listed twice: each controller once`],
  ])('refuses %j with a clear message', (urls, message) => {
    expect(() => parseControllerUrls(urls, '--controller')).toThrow(message);
  });
});
