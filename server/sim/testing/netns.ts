import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Lossy networks for tests. This kernel has no netem qdisc, but nftables works inside a network
// namespace made by `unshare -n` (root) or `unshare -rn`: its loopback is private, so rules that
// drop or duplicate packets touch nothing outside the test.

// getaddrinfo's AI_ADDRCONFIG (tftpd-hpa resolves its -a address with it) ignores loopback
// addresses, so a namespace with only 127.0.0.1 looks offline to it; a TEST-NET-1 address on lo
// (RFC 5737, routed nowhere) fixes that without adding an interface.
const SETUP = 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo && nft -f "$0" && exec "$@"';

export interface NetnsResult {
  stdout: string;
  stderr: string;
}

/**
 * nftables rules that drop `dropPercent` % of the packets delivered on loopback and duplicate
 * `duplicatePercent` % of them (the copy is sent out on lo again, so it arrives twice).
 * The named counters `dropped` and `duplicated` show how many packets were actually hit.
 */
export function lossyLoopbackRules(dropPercent: number, duplicatePercent: number): string {
  return `
table inet lossy {
  counter dropped {}
  chain input {
    type filter hook input priority 0; policy accept;
    numgen random mod 100 < ${dropPercent} counter name "dropped" drop
  }
}
table netdev dupes {
  counter duplicated {}
  chain ingress {
    type filter hook ingress device "lo" priority 0; policy accept;
    numgen random mod 100 < ${duplicatePercent} counter name "duplicated" dup to "lo"
  }
}
`;
}

/**
 * Runs `argv` in a new user + network namespace whose loopback is up and carries `rules`.
 * Everything the command starts (servers, clients) lives and dies with the namespace.
 */
export async function runInNetns(rules: string, argv: string[], timeoutMs: number): Promise<NetnsResult> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'netns-'));
  const rulesFile = path.join(dir, 'rules.nft');
  await fs.promises.writeFile(rulesFile, rules);
  try {
    return await new Promise<NetnsResult>((ok, ko) => {
      // As root, a network namespace alone keeps the real credentials that servers such as
      // tftpd-hpa need (chroot, setgroups); anyone else gets a user namespace with it.
      const flags = process.getuid?.() === 0 ? '-n' : '-rn';
      const child = spawn('unshare', [flags, 'sh', '-c', SETUP, rulesFile, ...argv], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        ko(new Error(`unshare failed to start: ${e.message}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) ok({ stdout, stderr });
        else ko(new Error(`unshare ${flags} ${argv.join(' ')} ended with ${signal ?? `exit code ${code}`}: ${stderr.trim()}`));
      });
    });
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
