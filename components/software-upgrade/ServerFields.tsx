import { DEFAULT_PORT, SLOT_OF, type ServerMode } from '@/lib/imageDownloadProfile';
import { Field } from '@/components/ui/Field';
import { TextInput } from '@/components/ui/TextInput';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

export interface ServerFieldsProps {
  form: ProfileFormApi;
  /** The selected mode: the fields shown are its own server, path and port, which the other mode does not share. */
  mode: ServerMode;
}

/** Image Server and Image Path of the TFTP or the SFTP server (the seed's form puts the SFTP login between them and the Port). */
export function ServerFields({ form, mode }: ServerFieldsProps) {
  const { errors } = form;
  const slot = SLOT_OF[mode];
  const values = form.values[slot];
  const server = fieldControl(errors, `${slot}.imageServer`);
  const path = fieldControl(errors, `${slot}.imagePath`);

  return (
    <>
      <Field id={server.id} path={server.path} label="Image Server" required error={server.error}>
        <TextInput
          id={server.id}
          value={values.imageServer}
          placeholder="IPv4/IPv6 address or host name"
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={server.invalid}
          errorId={server.errorId}
          onValueChange={(value) => form.setServerField(slot, 'imageServer', value)}
        />
      </Field>
      <Field id={path.id} path={path.path} label="Image Path" required error={path.error}>
        <TextInput
          id={path.id}
          value={values.imagePath}
          placeholder={mode === 'TFTP' ? '/images/ewc/' : 'Documents/sftp_files/EWC_17_12_1'}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          invalid={path.invalid}
          errorId={path.errorId}
          onValueChange={(value) => form.setServerField(slot, 'imagePath', value)}
        />
      </Field>
    </>
  );
}

/** The TFTP or the SFTP server's Port. */
export function PortField({ form, mode }: ServerFieldsProps) {
  const slot = SLOT_OF[mode];
  const port = fieldControl(form.errors, `${slot}.port`);
  return (
    <Field id={port.id} path={port.path} label="Port" error={port.error}>
      <TextInput
        id={port.id}
        className="input-short"
        value={form.values[slot].port}
        inputMode="numeric"
        placeholder={String(DEFAULT_PORT[mode])}
        autoComplete="off"
        invalid={port.invalid}
        errorId={port.errorId}
        onValueChange={(value) => form.setServerField(slot, 'port', value)}
      />
    </Field>
  );
}
