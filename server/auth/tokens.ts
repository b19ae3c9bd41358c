import { createHash, randomBytes } from 'node:crypto';

/** 256 bits from the CSPRNG (ASVS 7.2.3 asks for at least 128). */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed: a copy of the database does not sign anyone in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
