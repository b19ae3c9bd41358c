import { createHash, randomBytes } from 'node:crypto';

/**
 * 256 bits from the CSPRNG (ASVS 7.2.3 asks for at least 128). Never starting with '-': a token
 * is pasted after `--token` on command lines, where a leading dash reads as an option.
 */
export function newSecretToken(): string {
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    if (/^[A-Za-z0-9]/.test(token)) return token;
  }
}

/** Tokens are stored hashed: a copy of the database does not sign anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
