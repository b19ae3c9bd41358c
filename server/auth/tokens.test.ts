import { describe, expect, it } from 'vitest';
import { hashToken, newSecretToken } from './tokens.ts';

describe('secret tokens', () => {
  it('are 256-bit base64url strings that never start with a dash', () => {
    for (let i = 0; i < 2000; i++) {
      const token = newSecretToken();
      expect(token).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{42}$/);
    }
  });

  it('are unique and stored only as a hash', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newSecretToken));
    expect(tokens.size).toBe(1000);
    const [token] = tokens;
    expect(hashToken(token!)).not.toContain(token);
    expect(hashToken(token!)).toBe(hashToken(token!));
  });
});
