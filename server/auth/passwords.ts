import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

/** OWASP ASVS 5.0 Appendix C minimum for argon2id: m = 19 MiB, t = 2, p = 1. */
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax).
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
/** Fewer different characters than this is a short alphabet to search, whatever the length. */
export const MIN_DISTINCT_CHARACTERS = 5;

const commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, verified against when the email is unknown so a failed login
 * takes as long whether or not the account exists.
 */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomUUID());
  return decoyHash;
}

/** Why a new password is not acceptable, or undefined (ASVS 6.2.1, 6.2.4). */
export function passwordProblem(password: string, email: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters (15 or more is better)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return 'is one of the most common passwords: choose another';
  const variety = varietyProblem(password);
  if (variety) return variety;
  const localPart = email.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 3 && lower.includes(localPart)) return 'must not contain your email name';
  return undefined;
}

/**
 * Too little variety to resist guessing, whatever the length: few different characters
 * ("aaaaaaaa", "abababab"), a short part repeated ("pass1pass1") or a run ("abcdefgh",
 * "98765432"). Not a composition rule (ASVS 6.2.5): any characters will do, if they vary.
 */
export function varietyProblem(password: string): string | undefined {
  const characters = [...password];
  const distinct = new Set(characters.map((ch) => ch.toLowerCase())).size;
  if (distinct < MIN_DISTINCT_CHARACTERS) {
    return `must use at least ${MIN_DISTINCT_CHARACTERS} different characters (it has ${distinct}): a few unrelated words make a strong password`;
  }
  if (/^(.+?)\1+$/su.test(password.toLowerCase())) return 'must not be one short part repeated: a few unrelated words make a strong password';
  const codes = characters.map((ch) => ch.toLowerCase().codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  const isRun = Math.abs(step) === 1 && codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === step);
  if (isRun) return 'must not be a run of consecutive characters (like abcdefgh or 98765432): a few unrelated words make a strong password';
  return undefined;
}
