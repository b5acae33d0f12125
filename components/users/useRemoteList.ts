'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResult } from './usersApi';

export interface RemoteList<T> {
  /** Null until the first answer arrived. */
  items: T[] | null;
  loading: boolean;
  /** The server's refusal when the caller's role may not read the list (403). */
  forbidden: string | null;
  loadError: string | null;
  reload: () => Promise<void>;
}

/**
 * A list read from the API on mount and on demand. A reload that started earlier
 * but answered later is dropped, so the table never steps back to older data.
 */
export function useRemoteList<T>(load: () => Promise<ApiResult<T[]>>): RemoteList<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [forbidden, setForbidden] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    const result = await load();
    if (ticket !== latest.current) return;
    setLoading(false);
    if (result.ok) {
      setItems(result.data);
      setForbidden(null);
      setLoadError(null);
    } else if (result.status === 403) {
      setForbidden(result.error);
    } else {
      // The last good list stays on screen beside the error; it is still the best the engineer has.
      setLoadError(result.error);
    }
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { items, loading, forbidden, loadError, reload };
}
