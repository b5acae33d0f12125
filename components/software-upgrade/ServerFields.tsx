import { DEFAULT_PORT, SLOT_OF, type ServerMode } from '@/lib/imageDownloadProfile';
import { TextField } from '@/components/ui/FormFields';
import { fieldControl } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

export interface ServerFieldsProps {
  form: ProfileFormApi;
  /** The selected mode: the fields shown are its own server, path and port, which the other mode does not share. */
  mode: ServerMode;
}

/** Image Server, Image Path and Port of the TFTP or the SFTP server. */
export function ServerFields({ form, mode }: ServerFieldsProps) {
  const { errors } = form;
  const slot = SLOT_OF[mode];
  const values = form.values[slot];
  const server = fieldControl(errors, `${slot}.imageServer`);
  const path = fieldControl(errors, `${slot}.imagePath`);
  const port = fieldControl(errors, `${slot}.port`);
  const locationFields = [
    { key: 'imageServer', control: server, label: 'Image Server', placeholder: 'IPv4/IPv6 address or host name' },
    { key: 'imagePath', control: path, label: 'Image Path', placeholder: mode === 'TFTP' ? '/images/ewc/' : 'Documents/sftp_files/EWC_17_12_1' },
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
      <TextField
        control={port}
        label="Port"
        className="input-short"
        value={values.port}
        inputMode="numeric"
        placeholder={String(DEFAULT_PORT[mode])}
        autoComplete="off"
        onValueChange={(value) => form.setServerField(slot, 'port', value)}
      />
    </>
  );
}
