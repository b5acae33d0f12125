import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import type { ConfirmText } from './confirmText';

export interface ConfirmActionDialogProps {
  text: ConfirmText;
  /** False while the console is off line: the last known state is not something to act on. */
  canConfirm: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}

/** Names what a command on the whole network will do; the choice that changes nothing comes first and has the focus. */
export function ConfirmActionDialog({ text, canConfirm, onConfirm, onDismiss }: ConfirmActionDialogProps) {
  return (
    <Dialog
      title={text.title}
      onDismiss={onDismiss}
      className="confirm-dialog"
      data-testid="confirm-dialog"
      actions={
        <>
          <Button onClick={onDismiss}>{text.keep}</Button>
          <Button variant="danger" disabled={!canConfirm} onClick={onConfirm}>
            {text.confirm}
          </Button>
        </>
      }
    >
      {text.lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </Dialog>
  );
}
