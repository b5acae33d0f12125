import type { Socket } from 'socket.io-client';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents } from '../../lib/socketEvents';
import { consoleReducer, INITIAL_CONSOLE_STATE, type ConsoleAction, type ConsoleState } from '../../components/software-upgrade/consoleReducer';

type PageSocket = Socket<ConsoleServerToClientEvents, ConsoleClientToServerEvents>;

/**
 * What an open Software Upgrade page shows: the page's own reducer fed by the same socket events the
 * page receives (snapshot, then batches), so the model can hold the page to what the API says.
 */
export class PageProbe {
  state: ConsoleState = INITIAL_CONSOLE_STATE;

  constructor(socket: PageSocket) {
    const dispatch = (action: ConsoleAction) => {
      this.state = consoleReducer(this.state, action);
    };
    socket.on('connect', () => dispatch({ type: 'connected' }));
    socket.on('disconnect', () => dispatch({ type: 'disconnected', at: new Date().toISOString() }));
    socket.on('console:stopping', ({ reason }) => dispatch({ type: 'stopping', reason }));
    socket.on('snapshot:sent', (snapshot) => dispatch({ type: 'snapshot', snapshot }));
    socket.on('apImage:updated', (batch) => dispatch({ type: 'apImage', batch }));
    socket.on('upgrade:updated', (upgrade) => dispatch({ type: 'upgrade', upgrade }));
    socket.on('syslog:appended', (lines) => dispatch({ type: 'syslog', lines }));
    socket.on('profile:updated', (profile) => dispatch({ type: 'profile', profile }));
  }
}
