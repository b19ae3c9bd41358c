import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import type { Risk } from '../../../shared/schema/risk.ts';
import { RISK_CSV_COLUMNS, parseRiskCsv, risksToCsv, withCsvFields, type CsvImportContext, type CsvPerson } from './risk-csv.ts';

const orgId = uuidv7();
const otherOrgId = uuidv7();
const dana: CsvPerson = { userId: uuidv7(), orgId, email: 'dana@northwind.example', name: 'Dana Ortiz' };
const lee: CsvPerson = { userId: uuidv7(), orgId, email: 'lee@northwind.example', name: 'Lee Park' };
const NOW = '2026-02-01T09:00:00.000Z';

function riskWith(overrides: Partial<Risk> = {}): Risk {
  return {
    id: uuidv7(),
    orgId,
    updatedAt: '2026-01-15T10:00:00.000Z',
    title: 'UPS batteries past their service life',
    description: 'Store 12\'s UPS has "replace battery" lit.\nA power cut would take the tills down.',
    category: 'hardware',
    ownerId: dana.userId,
    likelihood: 4,
    impact: 3,
    score: 12,
    treatment: 'mitigate',
    mitigations: [
      { id: uuidv7(), action: 'Replace batteries', ownerId: lee.userId, dueAt: '2026-03-01T00:00:00.000Z', status: 'open' },
      { id: uuidv7(), action: 'Test failover', status: 'done' },
    ],
    residualLikelihood: 2,
    residualImpact: 3,
    status: 'mitigating',
    nextReviewAt: '2026-04-01T00:00:00.000Z',
    links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] },
    decisions: [{ id: uuidv7(), at: '2026-01-10T08:00:00.000Z', by: dana.userId, decision: 'Fund replacement', rationale: 'Cheaper than an outage' }],
    ...overrides,
  };
}

const contextWith = (risks: Risk[], overrides: Partial<CsvImportContext> = {}): CsvImportContext => ({
  existing: new Map(risks.map((r) => [r.id, r])),
  people: [dana, lee],
  defaultOrgId: orgId,
  newId: uuidv7,
  now: NOW,
  ...overrides,
});

const header = RISK_CSV_COLUMNS.join(',');

describe('risk CSV', () => {
  it('writes one row per risk with owners as emails and mitigations summarized', () => {
    const risk = riskWith();
    const [columns, row] = Papa.parse<string[]>(risksToCsv([risk], [dana, lee])).data;
    expect(columns).toEqual([...RISK_CSV_COLUMNS]);
    const cell = (name: string) => row?.[RISK_CSV_COLUMNS.indexOf(name as never)];
    expect(cell('owner')).toBe('dana@northwind.example');
    expect(cell('score')).toBe('12');
    expect(cell('description')).toBe(risk.description);
    expect(cell('mitigations')).toBe('Replace batteries (open, due 2026-03-01, Lee Park); Test failover (done)');
  });

  it('exports an accepted risk whose acceptance expired as open', () => {
    const lapsed = riskWith({ treatment: 'accept', status: 'accepted', acceptance: { approvedBy: dana.userId, approvedAt: '2025-01-01T00:00:00.000Z', until: '2025-06-01T00:00:00.000Z' } });
    const [, row] = Papa.parse<string[]>(risksToCsv([lapsed], [dana, lee], Date.parse('2026-01-01T00:00:00.000Z'))).data;
    expect(row?.[RISK_CSV_COLUMNS.indexOf('status')]).toBe('open');
  });

  it('reads its own export back unchanged (round trip)', () => {
    const risks = [riskWith(), riskWith({ title: '=HYPERLINK("x")', ownerId: undefined, residualLikelihood: undefined, residualImpact: undefined, description: '' })];
    const csv = risksToCsv(risks, [dana, lee]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const imported = parseRiskCsv(csv, contextWith(risks));
    expect(imported.problems).toEqual([]);
    expect(imported.rows.map((r) => r.kind)).toEqual(['unchanged', 'unchanged']);
    expect(imported.rows.map((r) => withCsvFields(risks[r.row - 2]!, r.risk))).toEqual(risks);
  });

  it('creates rows without an id and updates the risk whose id a row names, keeping its mitigations and decisions', () => {
    const existing = riskWith();
    const csv = [
      header,
      `${existing.id},,${existing.title},,hardware,lee@northwind.example,5,3,,mitigate,open,,,2026-05-01,ignored summary`,
      `,,Vendor end of support for POS,,vendor,,3,4,,accept,accepted,,,2026-06-30T00:00:00.000Z,`,
    ].join('\n');
    const imported = parseRiskCsv(csv, contextWith([existing]));
    expect(imported.problems).toEqual([]);
    const [update, create] = imported.rows;
    expect(update).toMatchObject({ row: 2, kind: 'update', risk: { id: existing.id, ownerId: lee.userId, likelihood: 5, score: 15, nextReviewAt: '2026-05-01T00:00:00.000Z' } });
    expect(update?.risk.mitigations).toEqual(existing.mitigations);
    expect(update?.risk.decisions).toEqual(existing.decisions);
    expect(update?.risk.residualLikelihood).toBeUndefined();
    expect(create).toMatchObject({ row: 3, kind: 'create', risk: { orgId, title: 'Vendor end of support for POS', score: 12, mitigations: [], decisions: [] } });
  });

  it('reports bad rows with their row number and field messages, and guesses nothing', () => {
    const csv = [
      header,
      `,,Good row,,security,,2,2,,mitigate,open,,,2026-05-01,`,
      '',
      `,,,,weather,nobody@northwind.example,7,high,,mitigate,open,,,next week,`,
      `,,Wrong score,,security,,2,3,9,mitigate,open,,,2026-05-01,`,
      `,,Too short`,
    ].join('\n');
    const imported = parseRiskCsv(csv, contextWith([]));
    expect(imported.rows.map((r) => r.row)).toEqual([2]);
    expect(imported.problems.map((p) => p.row)).toEqual([4, 5, 6]);
    const badRow = imported.problems[0]!.messages;
    expect(badRow).toContain('owner: nobody with the email nobody@northwind.example in this organization');
    expect(badRow.some((m) => m.startsWith('title: must not be empty'))).toBe(true);
    expect(badRow.some((m) => m.startsWith('category:'))).toBe(true);
    expect(badRow).toContain('likelihood: must be at most 5');
    expect(badRow).toContain('impact: must be a number');
    expect(badRow.some((m) => m.startsWith('nextReviewAt:'))).toBe(true);
    expect(badRow.some((m) => m.startsWith('score'))).toBe(false);
    expect(imported.problems[1]!.messages).toEqual(['score must equal likelihood × impact']);
    expect(imported.problems[2]!.messages).toEqual(['has 3 cells where the header has 15']);
  });

  it('refuses a file with unknown or missing columns before reading any row', () => {
    const imported = parseRiskCsv('title,likelyhood\nA,3\n', contextWith([]));
    expect(imported.rows).toEqual([]);
    expect(imported.fileProblems).toContain('missing column "likelihood"');
    expect(imported.fileProblems.some((p) => p.startsWith('unknown column "likelyhood"'))).toBe(true);
  });

  it('needs an organization for new rows when the importer manages several', () => {
    const csv = [header, `,,Orphan,,security,,1,1,,accept,open,,,2026-05-01,`, `,${otherOrgId},Placed,,security,,1,1,,accept,open,,,2026-05-01,`].join('\n');
    const imported = parseRiskCsv(csv, contextWith([], { defaultOrgId: undefined }));
    expect(imported.problems).toEqual([{ row: 2, messages: ['orgId: is required (you manage risks in more than one organization)', 'orgId: must be a UUID'] }]);
    expect(imported.rows[0]?.risk.orgId).toBe(otherOrgId);
  });

  it('reports a second row for the same risk instead of applying both', () => {
    const csv = [header, `,,A,,security,,1,1,,accept,open,,,2026-05-01,`].join('\n');
    const id = uuidv7();
    const twice = `${header}\n${id},,A,,security,,1,1,,accept,open,,,2026-05-01,\n${id},,B,,security,,1,1,,accept,open,,,2026-05-01,`;
    expect(parseRiskCsv(csv, contextWith([])).rows).toHaveLength(1);
    expect(parseRiskCsv(twice, contextWith([])).problems).toEqual([{ row: 3, messages: ['id: the same risk is already on row 2'] }]);
  });
});
