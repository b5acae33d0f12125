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
