import { describe, expect, it } from 'vitest';
import { countRisksByCell, riskBand } from './risk-matrix.ts';

describe('countRisksByCell', () => {
  it('counts each risk in its likelihood row and impact column', () => {
    const counts = countRisksByCell([
      { likelihood: 4, impact: 5 },
      { likelihood: 4, impact: 5 },
      { likelihood: 1, impact: 2 },
    ]);
    expect(counts[3]?.[4]).toBe(2);
    expect(counts[0]?.[1]).toBe(1);
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('gives a 5×5 grid of zeros for no risks', () => {
    expect(countRisksByCell([])).toEqual(Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]));
  });
});

describe('riskBand', () => {
  it('puts scores in the low, medium, high and critical bands', () => {
    expect([1, 4, 5, 9, 10, 16, 20, 25].map(riskBand)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });
});
