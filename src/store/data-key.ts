// Secrets that must be recovered to verify signatures (secret access keys, TOTP seeds) are
// encrypted at rest with AES-256-GCM under a data key (DESIGN rule 6). The key comes from, in
// this order: GATEHOUSE_DATA_KEY (base64, 32 bytes); GATEHOUSE_DATA_KEY_FILE (a file of 32 raw
// bytes, best kept outside the data directory, e.g. on another volume or from a secrets manager);
// else a key file created once in the data directory with mode 0600: separate from the database
// file, so a copied database alone reveals no secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';
const KEY_BYTES = 32;
/** The key file Gatehouse creates in the data directory when no key is given. */
export const DATA_KEY_FILE_NAME = 'data.key';

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error('the data key must be 32 bytes');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

export interface DataKeySource {
  /** GATEHOUSE_DATA_KEY: the key, base64. */
  base64?: string;
  /** GATEHOUSE_DATA_KEY_FILE: a file holding the key as 32 raw bytes. */
  file?: string;
}

/**
 * The data key: from the environment's base64 value, or the key file named, else the data
 * directory's key file, created on first use unless `create` is false (a data directory that
 * already holds secrets needs the key they were sealed with, not a new one).
 */
export function loadDataKey(dataDir: string, source: DataKeySource = {}, create = true): Buffer {
  if (source.base64 && source.file) throw new Error('set GATEHOUSE_DATA_KEY or GATEHOUSE_DATA_KEY_FILE, not both');
  if (source.base64) {
    const key = Buffer.from(source.base64, 'base64');
    if (key.length !== KEY_BYTES) throw new Error('GATEHOUSE_DATA_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  if (source.file) {
    // Never created here: a mistyped path must not quietly start a new key.
    if (!existsSync(source.file)) {
      throw new Error(`GATEHOUSE_DATA_KEY_FILE ${source.file} does not exist (make a new key with: head -c 32 /dev/urandom > ${source.file}; chmod 600 ${source.file})`);
    }
    const key = readFileSync(source.file);
    if (key.length !== KEY_BYTES) throw new Error(`GATEHOUSE_DATA_KEY_FILE ${source.file} must hold exactly 32 raw bytes, not ${key.length}`);
    return key;
  }
  const file = join(dataDir, DATA_KEY_FILE_NAME);
  if (!existsSync(file) && !create) {
    throw new Error(`${file} is missing, and ${dataDir} holds secrets sealed with a data key: give Gatehouse that key (GATEHOUSE_DATA_KEY_FILE or GATEHOUSE_DATA_KEY)`);
  }
  if (!existsSync(file)) writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
