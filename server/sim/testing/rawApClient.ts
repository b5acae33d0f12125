import { io, type Socket } from 'socket.io-client';
import { CAPWAP_NAMESPACE, type ApToControllerEvents, type ControllerToApEvents } from '../../../lib/capwapEvents';
import { EC_ALGORITHM, generateKeyPair, privateKeyToPem, x509 } from '../../pki/x509';

export type RawApSocket = Socket<ControllerToApEvents, ApToControllerEvents>;

/** A client certificate for `mac` from whatever CA `issue` stands for: the console's own, or an attacker's. */
export async function makeApKeyAndCsr(mac: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${mac}`, keys, signingAlgorithm: EC_ALGORITHM });
  return { keyPem: await privateKeyToPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/**
 * One join attempt as anyone could make it, with whatever it claims and whatever TLS material
 * it has: it does not check the controller's certificate (an attacker would not care) and never
 * reconnects. Resolves with the connected socket or the controller's refusal.
 */
export function rawJoin(
  baseUrl: string,
  auth: Record<string, unknown>,
  tls: { key?: string; cert?: string } = {},
  extraHeaders: Record<string, string> = {},
): Promise<{ socket: RawApSocket; error: string | null }> {
  const socket: RawApSocket = io(`${baseUrl}${CAPWAP_NAMESPACE}`, { transports: ['websocket'], auth, reconnection: false, forceNew: true, rejectUnauthorized: false, extraHeaders, ...tls });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket, error: null }));
    socket.once('connect_error', (error) => {
      resolve({ socket, error: error.message });
      socket.disconnect();
    });
    // A connection the controller ends before the join is answered (a certificate that does not verify).
    // socket.io closes its manager just before it reports a refused join, so the refusal goes first.
    socket.io.once('close', (reason) => setImmediate(() => resolve({ socket, error: `connection closed: ${reason}` })));
  });
}
