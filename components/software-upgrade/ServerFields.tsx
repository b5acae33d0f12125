import { DEFAULT_PORT, SLOT_OF, type ServerMode } from '@/lib/imageDownloadProfile';
import { TextField } from '@/components/ui/FormFields';
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
  const locationFields = [
    { key: 'imageServer', control: fieldControl(errors, `${slot}.imageServer`), label: 'Image Server', placeholder: 'IPv4/IPv6 address or host name' },
    { key: 'imagePath', control: fieldControl(errors, `${slot}.imagePath`), label: 'Image Path', placeholder: mode === 'TFTP' ? '/images/ewc/' : 'Documents/sftp_files/EWC_17_12_1' },
  ] as const;

  return (
    <>
      {locationFields.map(({ key, control, label, placeholder }) => (
        <TextField
          key={key}
          control={control}
          label={label}
          required
          value={values[key]}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          onValueChange={(value) => form.setServerField(slot, key, value)}
        />
      ))}
    </>
  );
}

/** The TFTP or the SFTP server's Port. */
export function PortField({ form, mode }: ServerFieldsProps) {
  const slot = SLOT_OF[mode];
  return (
    <TextField
      control={fieldControl(form.errors, `${slot}.port`)}
      label="Port"
      className="input-short"
      value={form.values[slot].port}
      inputMode="numeric"
      placeholder={String(DEFAULT_PORT[mode])}
      autoComplete="off"
      onValueChange={(value) => form.setServerField(slot, 'port', value)}
    />
  );
}
