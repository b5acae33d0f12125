'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/Button';
import { Field, fieldErrorId } from '@/components/ui/Field';
import { Select, optionsOf } from '@/components/ui/Select';
import { TextInput } from '@/components/ui/TextInput';
import { DEFAULT_LOGGING_PORT, LOGGING_TRANSPORTS, loggingHostSchema, type LoggingHost, type LoggingTransport } from '@/lib/loggingSettings';

/** Adds a syslog server to the list being edited, checked with the same schema the API and the CLI use. */
export function LoggingHostForm({ disabled, onAdd }: { disabled: boolean; onAdd: (host: LoggingHost) => string | null }) {
  const [address, setAddress] = useState('');
  const [transport, setTransport] = useState<LoggingTransport>('udp');
  const [port, setPort] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const add = () => {
    const portValue = port.trim() === '' ? undefined : /^\d+$/.test(port.trim()) ? Number(port.trim()) : port;
    const parsed = loggingHostSchema.safeParse({ address, transport, port: portValue });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])));
      return;
    }
    const refusal = onAdd(parsed.data);
    if (refusal) return setErrors({ address: refusal });
    setErrors({});
    setAddress('');
    setPort('');
  };

  return (
    <div className="logging-host-form" data-testid="logging-host-form">
      <Field id="logging-address" label="Server Address" path="address" required error={errors.address}>
        <TextInput
          id="logging-address"
          value={address}
          onValueChange={setAddress}
          disabled={disabled}
          invalid={!!errors.address}
          errorId={fieldErrorId('logging-address')}
          placeholder="10.0.0.5 or fd00::5"
        />
      </Field>
      <Field id="logging-transport" label="Transport" path="transport" error={errors.transport}>
        <Select id="logging-transport" value={transport} options={optionsOf(LOGGING_TRANSPORTS)} onValueChange={setTransport} disabled={disabled} />
      </Field>
      <Field id="logging-port" label="Port" path="port" error={errors.port} hint={`Default ${DEFAULT_LOGGING_PORT[transport]}`}>
        <TextInput
          id="logging-port"
          value={port}
          onValueChange={setPort}
          disabled={disabled}
          invalid={!!errors.port}
          errorId={fieldErrorId('logging-port')}
          inputMode="numeric"
          placeholder={String(DEFAULT_LOGGING_PORT[transport])}
        />
      </Field>
      <div className="form-actions">
        <Button onClick={add} disabled={disabled}>
          Add Server
        </Button>
      </div>
    </div>
  );
}
