import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** An interactive SSH session as a terminal user has it (a pty, keystrokes, the screen's text), for tests. */
export class SshShell {
  output = '';
  closed = false;
  private constructor(
    readonly client: Client,
    private readonly channel: ClientChannel,
  ) {
    channel.on('data', (data: Buffer) => (this.output += data.toString('utf8')));
    channel.on('close', () => (this.closed = true));
  }

  static open(port: number, login: Pick<ConnectConfig, 'username' | 'password' | 'privateKey'>): Promise<SshShell> {
    return new Promise((resolve, reject) => {
      const client = new Client();
      client.on('error', reject);
      client.on('ready', () => client.shell({ term: 'vt100', cols: 200, rows: 24 }, (error, channel) => (error ? reject(error) : resolve(new SshShell(client, channel)))));
      client.connect({ host: '127.0.0.1', port, readyTimeout: 20_000, ...login });
    });
  }

  send(text: string): void {
    this.channel.write(text);
  }

  /** Waits until the screen text after `from` matches; fails with what was on screen. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output.slice(from))) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern}; screen:\n${this.output.slice(from)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.output.slice(from);
  }

  /** Sends a line and returns what the screen showed until the next prompt matching `prompt`. */
  async command(line: string, prompt = /[>#] ?$/): Promise<string> {
    const from = this.output.length;
    this.send(`${line}\r`);
    return this.waitFor(prompt, from);
  }

  async waitClosed(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('The SSH session stayed open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    this.client.end();
  }
}

/** Runs one command the way `ssh host COMMAND` does; resolves with its output and exit code. */
export function sshExec(port: number, login: Pick<ConnectConfig, 'username' | 'password'>, command: string): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () =>
      client.exec(command, (error, channel) => {
        if (error) return reject(error);
        let output = '';
        let code: number | null = null;
        channel.on('data', (data: Buffer) => (output += data.toString('utf8')));
        channel.on('exit', (exitCode: number | null) => (code = exitCode));
        channel.on('close', () => {
          client.end();
          resolve({ output, code });
        });
      }),
    );
    client.connect({ host: '127.0.0.1', port, readyTimeout: 20_000, ...login });
  });
}
