import type { Risk } from '../../shared/schema/risk.ts';

/** The five levels of the register's scales, lowest first (index 0 is level 1). */
export const LIKELIHOOD_LABELS = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'] as const;
export const IMPACT_LABELS = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'] as const;
export const RISK_LEVELS = [1, 2, 3, 4, 5] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export type RiskBand = 'low' | 'medium' | 'high' | 'critical';

/** The usual 5×5 bands: 1–4 low, 5–9 medium, 10–16 high, 20–25 critical. */
export function riskBand(score: number): RiskBand {
  if (score >= 20) return 'critical';
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

export const RISK_BAND_LABELS: Record<RiskBand, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** counts[likelihood - 1][impact - 1]: how many of `risks` sit in each cell. */
export function countRisksByCell(risks: readonly Pick<Risk, 'likelihood' | 'impact'>[]): number[][] {
  const counts = RISK_LEVELS.map(() => RISK_LEVELS.map(() => 0));
  for (const risk of risks) {
    const row = counts[risk.likelihood - 1];
    if (row && risk.impact >= 1 && risk.impact <= 5) row[risk.impact - 1] = (row[risk.impact - 1] ?? 0) + 1;
  }
  return counts;
}

/** The badge tone (styles.css) for a score band, where a score is shown as a badge. */
export const RISK_BAND_TONE: Record<RiskBand, 'ok' | 'warn' | 'bad'> = { low: 'ok', medium: 'warn', high: 'bad', critical: 'bad' };
