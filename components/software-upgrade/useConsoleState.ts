'use client';

import { useCallback, useEffect, useReducer } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents } from '@/lib/socketEvents';
import { consoleReducer, INITIAL_CONSOLE_STATE, type ConsoleState } from './consoleReducer';

type ConsoleSocket = Socket<ConsoleServerToClientEvents, ConsoleClientToServerEvents>;

export interface ConsoleStateApi extends ConsoleState {
  /** Applies a profile the REST API returned, before the matching socket event arrives. */
  applyProfile: (profile: ImageDownloadProfileView) => void;
}

/** The page's only live state: a socket on `/` feeding one reducer. */
export function useConsoleState(): ConsoleStateApi {
  const [state, dispatch] = useReducer(consoleReducer, INITIAL_CONSOLE_STATE);

  useEffect(() => {
    const socket: ConsoleSocket = io();
    socket.on('connect', () => dispatch({ type: 'connected' }));
    socket.on('connect_error', (error) => {
      dispatch({ type: 'disconnected' });
      // The session ended (logout elsewhere, expiry, account removed): back to the login page, then here again.
      if (error.message.startsWith('unauthorized')) window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    });
    socket.on('disconnect', (reason) => {
      dispatch({ type: 'disconnected' });
      // Socket.IO does not retry after the server closed the connection on purpose; a console must.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('snapshot:sent', (snapshot) => dispatch({ type: 'snapshot', snapshot }));
    socket.on('apImage:updated', (batch) => dispatch({ type: 'apImage', batch }));
    socket.on('upgrade:updated', (upgrade) => dispatch({ type: 'upgrade', upgrade }));
    socket.on('syslog:appended', (lines) => dispatch({ type: 'syslog', lines }));
    socket.on('profile:updated', (profile) => dispatch({ type: 'profile', profile }));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, []);

  const applyProfile = useCallback((profile: ImageDownloadProfileView) => dispatch({ type: 'profile', profile }), []);

  return { ...state, applyProfile };
}
