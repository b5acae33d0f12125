import { describe, expect, it } from 'vitest';
import { consoleReducer, INITIAL_CONSOLE_STATE } from './consoleReducer';

describe('the page when the console stops gracefully', () => {
  it('keeps why the console stopped while it reconnects, and forgets it once live again', () => {
    let state = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'connected' });
    state = consoleReducer(state, { type: 'stopping', reason: 'controller stopped by SIGTERM' });
    state = consoleReducer(state, { type: 'disconnected', at: '2026-12-06T07:00:00.000Z' });
    state = consoleReducer(state, { type: 'disconnected', at: '2026-12-06T07:00:05.000Z' });
    expect(state).toMatchObject({ connection: 'reconnecting', stopNotice: 'controller stopped by SIGTERM', disconnectedAt: '2026-12-06T07:00:00.000Z' });
    state = consoleReducer(state, { type: 'connected' });
    expect(state).toMatchObject({ connection: 'live', stopNotice: null, disconnectedAt: null });
  });
});

describe('the page when this tab logs out', () => {
  it('says it is logging out, not that the console is unreachable, when its socket is dropped with its session', () => {
    let state = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'connected' });
    state = consoleReducer(state, { type: 'leaving' });
    state = consoleReducer(state, { type: 'disconnected', at: '2026-12-07T10:00:00.000Z' });
    expect(state).toMatchObject({ connection: 'leaving', disconnectedAt: null });
  });
});
