import Papa from 'papaparse';
import * as v from 'valibot';
import { isDeepEqual } from '../../../shared/merge/canonical.ts';
import { effectiveRiskStatus } from '../../../shared/risk/acceptance.ts';
import { Risk } from '../../../shared/schema/risk.ts';

/**
 * The risk register as CSV: one row per risk. Export writes every column; import reads them
 * back, validates each row with the shared schema and reports what is wrong with a row instead
 * of guessing. Mitigations and decisions stay in the app: their column is a summary for people
 * and is not read back.
 */
export const RISK_CSV_COLUMNS = [
  'id', 'orgId', 'title', 'description', 'category', 'owner', 'likelihood', 'impact', 'score', 'treatment', 'status',
  'residualLikelihood', 'residualImpact', 'nextReviewAt', 'mitigations',
] as const;
type Column = (typeof RISK_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['title', 'category', 'likelihood', 'impact', 'treatment', 'status', 'nextReviewAt'];

/** A directory entry as the CSV needs it: owners travel as email addresses. */
export interface CsvPerson {
  userId: string;
  orgId: string;
  email: string;
  name: string;
}

// A spreadsheet runs a cell that starts with one of these as a formula; export defuses it with a quote.
const FORMULA_START = /^[=+\-@\t\r]/;
const defused = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);
const undefused = (text: string) => (text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text);

const day = (iso: string | undefined) => iso?.slice(0, 10);

function mitigationSummary(risk: Risk, nameOf: (userId: string) => string | undefined): string {
  return risk.mitigations
    .map((m) => {
      const details = [m.status, m.dueAt ? `due ${day(m.dueAt)}` : undefined, m.ownerId ? nameOf(m.ownerId) : undefined].filter(Boolean);
      return `${m.action} (${details.join(', ')})`;
    })
    .join('; ');
}

/** Status as people see it: an accepted risk whose acceptance expired is exported as open. */
export function risksToCsv(risks: readonly Risk[], people: readonly CsvPerson[], now = Date.now()): string {
  const emailOf = (orgId: string, userId: string | undefined) => people.find((p) => p.orgId === orgId && p.userId === userId)?.email;
  const nameOf = (userId: string) => people.find((p) => p.userId === userId)?.name;
  const rows = risks.map((risk) => {
    const cells: Record<Column, string | number> = {
      id: risk.id,
      orgId: risk.orgId,
      title: risk.title,
      description: risk.description,
      category: risk.category,
      owner: emailOf(risk.orgId, risk.ownerId) ?? '',
      likelihood: risk.likelihood,
      impact: risk.impact,
      score: risk.score,
      treatment: risk.treatment,
      status: effectiveRiskStatus(risk, now),
      residualLikelihood: risk.residualLikelihood ?? '',
      residualImpact: risk.residualImpact ?? '',
      nextReviewAt: risk.nextReviewAt,
      mitigations: mitigationSummary(risk, nameOf),
    };
    return RISK_CSV_COLUMNS.map((column) => {
      const value = cells[column];
      return typeof value === 'string' ? defused(value) : value;
    });
  });
  return Papa.unparse({ fields: [...RISK_CSV_COLUMNS], data: rows }, { newline: '\r\n' });
}

export interface CsvImportContext {
  /** Risks on this device by id: a row with a known id updates that risk. */
  existing: ReadonlyMap<string, Risk>;
  people: readonly CsvPerson[];
  /** Where a row without orgId goes: the one organization the importer manages risks in, if one. */
  defaultOrgId: string | undefined;
  newId(): string;
  now: string;
}

/** The fields a CSV row sets; everything else (mitigations, decisions, links…) stays as it is. */
const CSV_FIELDS = [
  'orgId', 'title', 'description', 'category', 'ownerId', 'likelihood', 'impact', 'score', 'treatment', 'status',
  'residualLikelihood', 'residualImpact', 'nextReviewAt',
] as const satisfies readonly (keyof Risk)[];

const pickCsvFields = (risk: Risk) => Object.fromEntries(CSV_FIELDS.map((key) => [key, risk[key]]));

/** `current` with the imported row's fields, absent optional ones removed: for updateDocument. */
export function withCsvFields(current: Risk, imported: Risk): Risk {
  const next: Record<string, unknown> = { ...current };
  for (const key of CSV_FIELDS) {
    if (imported[key] === undefined) delete next[key];
    else next[key] = imported[key];
  }
  return next as Risk;
}

export interface ImportedRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  kind: 'create' | 'update' | 'unchanged';
  risk: Risk;
}

export interface RowProblem {
  row: number;
  /** "likelihood: must be at most 5" — field first, so a person finds the cell. */
  messages: string[];
}

export interface CsvImport {
  rows: ImportedRow[];
  problems: RowProblem[];
  /** Problems with the file as a whole (missing or unknown columns): nothing is imported. */
  fileProblems: string[];
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A number when the cell holds one; otherwise the text, so the schema says what is wrong with it. */
const numberCell = (text: string): number | string | undefined => (text === '' ? undefined : NUMBER.test(text) ? Number(text) : text);

function readRow(cells: Partial<Record<Column, string>>, row: number, context: CsvImportContext): ImportedRow | RowProblem {
  const messages: string[] = [];
  const cell = (column: Column) => undefused((cells[column] ?? '').trim());
  const id = cell('id');
  const existing = id ? context.existing.get(id) : undefined;
  const orgId = cell('orgId') || existing?.orgId || context.defaultOrgId;
  if (!orgId) messages.push('orgId: is required (you manage risks in more than one organization)');

  const ownerEmail = cell('owner').toLowerCase();
  const owner = ownerEmail ? context.people.find((p) => p.orgId === orgId && p.email.toLowerCase() === ownerEmail) : undefined;
  if (ownerEmail && !owner) messages.push(`owner: nobody with the email ${cell('owner')} in this organization`);

  const likelihood = numberCell(cell('likelihood'));
  const impact = numberCell(cell('impact'));
  const scoreText = cell('score');
  const score = scoreText === '' && typeof likelihood === 'number' && typeof impact === 'number' ? likelihood * impact : numberCell(scoreText);
  const reviewText = cell('nextReviewAt');
  const candidate: Record<string, unknown> = {
    ...(existing ?? { mitigations: [], decisions: [], links: { deviceIds: [], siteIds: [], runbookIds: [], incidentIds: [] } }),
    id: id || context.newId(),
    orgId: orgId ?? '',
    updatedAt: context.now,
    title: cell('title'),
    description: cell('description'),
    category: cell('category'),
    likelihood,
    impact,
    score,
    treatment: cell('treatment'),
    status: cell('status'),
    nextReviewAt: DATE_ONLY.test(reviewText) ? `${reviewText}T00:00:00.000Z` : reviewText,
  };
  // Optional fields: an empty cell clears them.
  const optional = { ownerId: owner?.userId, residualLikelihood: numberCell(cell('residualLikelihood')), residualImpact: numberCell(cell('residualImpact')) };
  for (const [key, value] of Object.entries(optional)) {
    if (value === undefined) delete candidate[key];
    else candidate[key] = value;
  }

  const parsed = v.safeParse(Risk, candidate);
  if (!parsed.success) {
    for (const issue of parsed.issues) {
      const path = v.getDotPath(issue);
      // An empty score is derived from likelihood and impact: their own messages say what is wrong.
      if (path === 'score' && scoreText === '') continue;
      messages.push(path ? `${path}: ${issue.message}` : issue.message);
    }
  }
  if (!parsed.success || messages.length > 0) return { row, messages: [...new Set(messages)] };
  const kind = !existing ? 'create' : isDeepEqual(pickCsvFields(existing), pickCsvFields(parsed.output)) ? 'unchanged' : 'update';
  return { row, kind, risk: parsed.output };
}

export function parseRiskCsv(text: string, context: CsvImportContext): CsvImport {
  // Arrays, not header mode: blank lines keep their place, so row numbers match the spreadsheet.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
  const [header = [], ...records] = parsed.data;
  const columns = header.map((name) => name.trim());
  const known = new Set<string>(RISK_CSV_COLUMNS);
  const fileProblems = [
    ...columns.filter((name) => name && !known.has(name)).map((name) => `unknown column "${name}" (expected: ${RISK_CSV_COLUMNS.join(', ')})`),
    ...REQUIRED_COLUMNS.filter((name) => !columns.includes(name)).map((name) => `missing column "${name}"`),
  ];
  if (fileProblems.length > 0) return { rows: [], problems: [], fileProblems };

  const shapeErrors = new Map<number, string>();
  for (const error of parsed.errors) if (error.row !== undefined) shapeErrors.set(error.row, error.message);
  const rows: ImportedRow[] = [];
  const problems: RowProblem[] = [];
  const seenIds = new Map<string, number>();
  records.forEach((record, index) => {
    const row = index + 2;
    if (record.every((value) => value.trim() === '')) return;
    const shapeError = shapeErrors.get(index + 1);
    if (shapeError) return problems.push({ row, messages: [shapeError] });
    if (record.length !== columns.length) return problems.push({ row, messages: [`has ${record.length} cells where the header has ${columns.length}`] });
    const cells: Partial<Record<Column, string>> = Object.fromEntries(columns.map((name, i) => [name, record[i] ?? '']));
    const result = readRow(cells, row, context);
    if ('messages' in result) return problems.push(result);
    const earlier = seenIds.get(result.risk.id);
    if (earlier !== undefined) return problems.push({ row, messages: [`id: the same risk is already on row ${earlier}`] });
    seenIds.set(result.risk.id, row);
    rows.push(result);
  });
  return { rows, problems, fileProblems: [] };
}
