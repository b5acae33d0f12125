import { createServer as createHttpsServer } from 'node:https';
import type { ConsoleConfig } from '../config';
import { pkiDirOf } from '../pki/apTrust';
import { LocalCa } from '../pki/localCa';
import type { SharedTrustMaterial } from '../pki/sharedTrust';
import { HttpsIdentity, identitySourceFor } from '../web/httpsIdentity';
import { listenStandby, type StandbyDoor, type StandbyPort } from './standbyPage';

/**
 * A standby's HTTPS port (EWC_HTTPS_PORT): the same door as its plain port (Host check, the leader's console
 * forwarded, or the 503), under the certificate the console will present there once this node leads: the
 * admin's files (EWC_TLS_CERT, EWC_TLS_KEY, reloaded as the console reloads them), or one from the local CA
 * every node on the database shares. Without it a browser sent to this node over HTTPS (a bookmark, a load
 * balancer, the redirect of a non-loopback HOST's plain port) would meet a refused connection.
 */
export async function listenStandbyHttps(
  config: Pick<ConsoleConfig, 'host' | 'https' | 'allowedHosts' | 'dataDir'>,
  shared: SharedTrustMaterial,
  door: StandbyDoor,
  log: (line: string) => void,
): Promise<StandbyPort & { identity: HttpsIdentity }> {
  const server = createHttpsServer({ minVersion: 'TLSv1.2' });
  const pkiDir = pkiDirOf(config.dataDir);
  // The certificate the console keeps in pki/https.crt, for the same names from the same CA: the leader takes it over unchanged.
  const trust = { pkiDir, openCa: (hostNames: string[]) => LocalCa.fromMaterial(shared.ca, hostNames) };
  const identity = await HttpsIdentity.start(server, identitySourceFor(config, trust), { log });
  try {
    const port = await listenStandby(server, config.host, config.https.port, door);
    return {
      identity,
      port: port.port,
      close: () => {
        identity.dispose();
        return port.close();
      },
    };
  } catch (error) {
    identity.dispose();
    throw error;
  }
}
