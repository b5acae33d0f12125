import { useTranslations } from 'next-intl';
import { keyTypeLabel } from '@/lib/hostKeyType';
import type { HostKeyInfo } from '@/lib/imageDownloadProfile';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { hostPort } from '@/lib/netAddress';

export interface HostKeyDialogProps {
  hostKey: HostKeyInfo;
  /** The fingerprint the form holds now, to warn when the server offers a different one. */
  current: string;
  /** The id of the element to focus on close; see Dialog. */
  returnFocusTo?: string;
  onTrust: () => void;
  onDistrust: () => void;
}

/** OpenSSH's first-connection question, answered by the engineer before the console trusts the image server. */
export function HostKeyDialog({ hostKey, current, returnFocusTo, onTrust, onDistrust }: HostKeyDialogProps) {
  const t = useTranslations('dialogs');
  const trusted = current.trim();
  return (
    <Dialog
      title={t('trustHostKey')}
      data-testid="host-key-dialog"
      onDismiss={onDistrust}
      returnFocusTo={returnFocusTo}
      actions={
        <>
          <Button variant="primary" onClick={onTrust}>
            {t('trustAndContinue')}
          </Button>
          <Button onClick={onDistrust}>{t('dontTrust')}</Button>
        </>
      }
    >
      <p>{t('hostUnknown', { host: hostPort(hostKey.host, hostKey.port) })}</p>
      <p>
        {t.rich('fingerprint', {
          keyType: keyTypeLabel(hostKey.keyType),
          fingerprint: hostKey.fingerprint,
          code: (chunks) => <code data-testid="host-key-fingerprint">{chunks}</code>,
        })}
      </p>
      {trusted !== '' && trusted !== hostKey.fingerprint && (
        // A changed key is what an interception looks like; it must not pass as a routine first connection.
        <p className="dialog-warning" data-testid="host-key-changed">
          {t.rich('fingerprintChanged', { trusted, code: (chunks) => <code>{chunks}</code> })}
        </p>
      )}
      <p>{t('trustQuestion')}</p>
    </Dialog>
  );
}
