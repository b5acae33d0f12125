'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';

export interface ExportConfigDialogProps {
  text: string;
  /** The form has edits the export, made from the stored profile, does not contain. */
  unsaved: boolean;
  /** The id of the element to focus on close; see Dialog. */
  returnFocusTo?: string;
  onClose: () => void;
}

type CopyState = 'idle' | 'copied' | 'selected';

/** Selects the text so Ctrl+C works where the clipboard API is not offered (plain HTTP to a controller's address). */
function selectContents(element: HTMLElement): void {
  const selection = window.getSelection();
  if (!selection) return;
  const range = document.createRange();
  range.selectNodeContents(element);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** The stored profile as EWC CLI lines, to copy into a controller or keep as a record. */
export function ExportConfigDialog({ text, unsaved, returnFocusTo, onClose }: ExportConfigDialogProps) {
  const t = useTranslations('dialogs');
  const pre = useRef<HTMLPreElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');

  const copyText = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      if (pre.current) selectContents(pre.current);
      setCopy('selected');
    }
  };

  return (
    <Dialog
      title={t('exportTitle')}
      data-testid="export-config"
      className="dialog-wide"
      onDismiss={onClose}
      returnFocusTo={returnFocusTo}
      actions={
        <>
          <span className="dialog-status" role="status">
            {copy === 'idle' ? '' : t(copy)}
          </span>
          <Button variant="primary" onClick={() => void copyText()}>
            {t('copy')}
          </Button>
          <Button onClick={onClose}>{t('close')}</Button>
        </>
      }
    >
      {/* Focusable so a keyboard user can scroll a long configuration. */}
      <pre ref={pre} className="config-text" tabIndex={0}>
        {text}
      </pre>
      <p className="dialog-note">{t('exportPasswordNote')}</p>
      {unsaved && <p className="dialog-note">{t('exportUnsaved')}</p>}
    </Dialog>
  );
}
