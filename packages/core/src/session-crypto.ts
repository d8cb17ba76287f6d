// Sealing session cookies: AES-256-GCM encryption, then an HMAC-SHA256 signature, with keys
// derived (HKDF) from each secret, so several secrets can be read while the newest writes.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigurationError } from './errors.js';
import { GENERATE_SECRET, secretsProblem } from './session-secrets.js';

interface KeyPair {
  readonly encrypt: Buffer;
  readonly sign: Buffer;
}

/** What {@link SessionCrypto.open} found: the payload, and whether an older secret sealed it. */
export interface Opened {
  readonly payload: string;
  /** Sealed with a secret other than the newest: seal it again to move it to the new key. */
  readonly rotated: boolean;
}

function derive(secret: string, salt: string): KeyPair {
  const key = (purpose: string): Buffer => Buffer.from(hkdfSync('sha256', secret, salt, purpose, 32));
  return { encrypt: key('tet session encryption'), sign: key('tet session signature') };
}

/**
 * Seals and opens session cookie values. The first secret is the newest: it seals; every
 * secret opens, so rotating is "put the new secret first, drop the old one later".
 * @example
 * const crypto = new SessionCrypto(['a-new-secret-of-at-least-32-chars!!', 'the-old-secret-still-read-for-now!'])
 * crypto.open(crypto.seal('{"user":"ada"}'))?.payload
 */
export class SessionCrypto {
  private readonly secrets: readonly string[];
  private readonly salt: string;
  private derived: readonly KeyPair[] | undefined;

  constructor(secrets: string | readonly string[], salt = 'tet.session') {
    const list = typeof secrets === 'string' ? [secrets] : [...secrets];
    const problem = secretsProblem(list);
    if (problem !== undefined) {
      throw new ConfigurationError(
        `Session secrets: ${problem}. Keep them in a setting and read it with sessionSecrets(config.registry.settings, '<key>'), which names the setting when it is missing; ` +
          `generate one with ${GENERATE_SECRET}.`,
        'TET_ERR_SESSION_SECRET',
      );
    }
    this.secrets = list;
    this.salt = salt;
  }

  // Derived on first use, not at start-up: HKDF and the crypto internals it loads were half a
  // millisecond of a server's start, before any request had a session.
  private get keys(): readonly KeyPair[] {
    this.derived ??= this.secrets.map((secret) => derive(secret, this.salt));
    return this.derived;
  }

  /** Encrypts with the newest key, then signs: `base64url(iv|ciphertext|tag).base64url(hmac)`. */
  seal(payload: string): string {
    const key = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.encrypt, iv);
    const sealed = Buffer.concat([iv, cipher.update(payload, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
    return `${sealed}.${createHmac('sha256', key.sign).update(sealed).digest('base64url')}`;
  }

  /** The payload of a sealed value, or undefined when it is tampered with, truncated, or from an unknown secret. */
  open(value: string): Opened | undefined {
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const sealed = value.slice(0, dot);
    const signature = Buffer.from(value.slice(dot + 1), 'base64url');
    if (signature.length !== 32) return undefined;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!timingSafeEqual(createHmac('sha256', key.sign).update(sealed).digest(), signature)) continue;
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < 12 + 16) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.encrypt, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(bytes.length - 16));
        const payload = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
        return { payload, rotated: i > 0 };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
