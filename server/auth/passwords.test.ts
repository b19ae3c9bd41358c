import { describe, expect, it } from 'vitest';
import { passwordProblem, varietyProblem } from './passwords.ts';

describe('passwordProblem', () => {
  it.each([
    ['aaaaaaaa', 'must use at least 5 different characters (it has 1): a few unrelated words make a strong password'],
    ['AaAaAaAaAa', 'must use at least 5 different characters (it has 1): a few unrelated words make a strong password'],
    ['1212121212', 'must use at least 5 different characters (it has 2): a few unrelated words make a strong password'],
    ['lemon7lemon7', 'must not be one short part repeated: a few unrelated words make a strong password'],
    ['abcdefghij', 'must not be a run of consecutive characters (like abcdefgh or 98765432): a few unrelated words make a strong password'],
    ['87654321', 'must not be a run of consecutive characters (like abcdefgh or 98765432): a few unrelated words make a strong password'],
  ])('refuses %s: it %s', (password, problem) => {
    expect(passwordProblem(password, 'tess@outpost.test')).toBe(problem);
  });

  it('accepts passphrases and varied passwords of any composition', () => {
    for (const password of ['spanner-and-multimeter', 'torque wrench harbour 42', 'Zq8#mV2p', 'kettle-quarry']) {
      expect(varietyProblem(password), password).toBeUndefined();
      expect(passwordProblem(password, 'tess@outpost.test'), password).toBeUndefined();
    }
  });

  it('still refuses short, common and email-like passwords first', () => {
    expect(passwordProblem('aaaa', 'tess@outpost.test')).toMatch(/at least 8 characters/);
    expect(passwordProblem('password123', 'tess@outpost.test')).toMatch(/most common/);
    expect(passwordProblem('tess-in-the-field', 'tess@outpost.test')).toMatch(/email name/);
  });
});
