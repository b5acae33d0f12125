import { loadConfig } from '../config';
import { rotateSecretKey } from './rotateSecretKey';
import { generateSecretKey, parseSecretKey } from '../secrets/secretBox';

// `npm run rotate-secret-key`, with the console stopped (every node, on a shared database): it holds the old key while it runs.
try {
  const config = loadConfig();
  const nextKey = process.env.EWC_NEW_SECRET_KEY ? parseSecretKey(process.env.EWC_NEW_SECRET_KEY) : generateSecretKey();
  const { resealed, keyFile } = await rotateSecretKey(config.dataDir, config.secretKey, nextKey, config.database);
  if (keyFile) {
    console.log(`Re-encrypted ${resealed} stored secret(s); the new key is in ${keyFile} (mode 0600).`);
  } else {
    console.log(`Re-encrypted ${resealed} stored secret(s). Replace EWC_SECRET_KEY with the new key before the next start:`);
    console.log(nextKey.toString('base64'));
  }
} catch (error) {
  console.error(`Key rotation failed; nothing was changed: ${(error as Error).message}`);
  process.exit(1);
}
