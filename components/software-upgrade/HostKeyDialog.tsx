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
  const trusted = current.trim();
  return (
    <Dialog
      title="Trust host key"
      data-testid="host-key-dialog"
      onDismiss={onDistrust}
      returnFocusTo={returnFocusTo}
      actions={
        <>
          <Button variant="primary" onClick={onTrust}>
            Trust and continue
          </Button>
          <Button onClick={onDistrust}>Don&apos;t trust</Button>
        </>
      }
    >
      <p>The authenticity of host &apos;{hostPort(hostKey.host, hostKey.port)}&apos; can&apos;t be established.</p>
      <p>
        {keyTypeLabel(hostKey.keyType)} key fingerprint is <code data-testid="host-key-fingerprint">{hostKey.fingerprint}</code>.
      </p>
      {trusted !== '' && trusted !== hostKey.fingerprint && (
        // A changed key is what an interception looks like; it must not pass as a routine first connection.
        <p className="dialog-warning" data-testid="host-key-changed">
          This differs from the fingerprint in the form, <code>{trusted}</code>. Trust it only if you know the server&apos;s key was replaced.
        </p>
      )}
      <p>Trust this host key?</p>
    </Dialog>
  );
}
