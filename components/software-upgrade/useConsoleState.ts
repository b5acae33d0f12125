'use client';

import { useCallback, useEffect, useReducer, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import { isLeaving } from '@/components/auth/leavingPage';
import type { ApImagePageQuery } from '@/lib/apImageQuery';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents } from '@/lib/socketEvents';
import { consoleReducer, INITIAL_CONSOLE_STATE, type ConsoleState } from './consoleReducer';

type ConsoleSocket = Socket<ConsoleServerToClientEvents, ConsoleClientToServerEvents>;

export interface ConsoleStateApi extends ConsoleState {
  /** Applies a profile the REST API returned, before the matching socket event arrives. */
  applyProfile: (profile: ImageDownloadProfileView) => void;
  /** Shows another page, filter or order of the AP table; the server then sends changes for that view. */
  viewApImage: (query: ApImagePageQuery) => void;
}

/** The page's only live state: a socket on `/` feeding one reducer. */
export function useConsoleState(): ConsoleStateApi {
  const [state, dispatch] = useReducer(consoleReducer, INITIAL_CONSOLE_STATE);
  const socketRef = useRef<ConsoleSocket | null>(null);
  // Read at every (re)connection, so the snapshot after a reconnect is the page being looked at.
  const queryRef = useRef(state.apImageQuery);

  useEffect(() => {
    const socket: ConsoleSocket = io({ auth: (send) => send({ apImageView: queryRef.current }) });
    socketRef.current = socket;
    socket.on('connect', () => dispatch({ type: 'connected' }));
    socket.on('connect_error', (error) => {
      if (isLeaving()) return dispatch({ type: 'leaving' });
      dispatch({ type: 'disconnected', at: new Date().toISOString() });
      // The session ended (logout elsewhere, expiry, account removed): back to the login page, then here again.
      if (error.message.startsWith('unauthorized')) window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    });
    socket.on('disconnect', (reason) => {
      if (isLeaving()) return dispatch({ type: 'leaving' });
      dispatch({ type: 'disconnected', at: new Date().toISOString() });
      // Socket.IO does not retry after the server closed the connection on purpose; a console must.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('console:stopping', ({ reason }) => dispatch({ type: 'stopping', reason }));
    socket.on('snapshot:sent', (snapshot) => dispatch({ type: 'snapshot', snapshot }));
    socket.on('apImage:updated', (batch) => dispatch({ type: 'apImage', batch }));
    socket.on('upgrade:updated', (upgrade) => dispatch({ type: 'upgrade', upgrade }));
    socket.on('syslog:appended', (lines) => dispatch({ type: 'syslog', lines }));
    socket.on('profile:updated', (profile) => dispatch({ type: 'profile', profile }));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const applyProfile = useCallback((profile: ImageDownloadProfileView) => dispatch({ type: 'profile', profile }), []);
  const viewApImage = useCallback((query: ApImagePageQuery) => {
    queryRef.current = query;
    socketRef.current?.emit('apImage:view', query, (reply) => {
      if (reply.ok) dispatch({ type: 'apImagePage', query: reply.query, apImage: reply.apImage });
    });
  }, []);

  return { ...state, applyProfile, viewApImage };
}
