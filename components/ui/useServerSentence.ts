import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import type { ApiFailure } from '@/components/api/jsonRequest';
import { isSentenceCode, renderSentence, type Sentence } from '@/lib/serverSentences';

/**
 * A sentence the server wrote (an upgrade's message or result) in the page's language, from its code and
 * parameters; the server's English when it sent no code or one this page does not know (a row written by
 * another version).
 */
export function useServerSentence(): (said: Sentence | null | undefined, english: string) => string {
  const t = useTranslations('serverSentences');
  return useCallback(
    (said, english) => {
      if (!said) return english;
      // Every catalogue has every code (the catalogue test): a known code is a known message.
      const text = renderSentence(said, (code, params) => (isSentenceCode(code) ? t(code, params as never) : null));
      return text ?? english;
    },
    [t],
  );
}

/** An API refusal in the page's language when its code is one of the server's sentences; else its English words. */
export function useRefusalText(): (failure: Pick<ApiFailure, 'error' | 'code' | 'params'>) => string {
  const say = useServerSentence();
  return useCallback((failure) => (failure.code ? say({ code: failure.code, params: failure.params ?? {} }, failure.error) : failure.error), [say]);
}
