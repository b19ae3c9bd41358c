import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { speedUp, type BenchRow } from './table.ts';

const COLUMNS = ['metric', 'Outpost', 'peer', 'speed-up', 'budget', 'pass'] as const;

function formatValue(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const number = value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === '×' ? `${number}×` : `${number} ${unit}`;
}

/** One row as the table's cells: figures with their unit, the peer with its name, speed-up as peer ÷ Outpost time. */
export function cells(row: BenchRow): Record<(typeof COLUMNS)[number], string> {
  const ratio = speedUp(row);
  return {
    metric: row.metric,
    Outpost: formatValue(row.outpost, row.unit),
    peer: row.peer === undefined ? '—' : `${formatValue(row.peer, row.unit)} (${row.peerName ?? 'peer'})`,
    'speed-up': ratio === undefined ? '—' : `${ratio.toFixed(ratio >= 10 ? 0 : ratio >= 1 ? 1 : 2)}×`,
    budget: row.budget ?? '—',
    pass: row.pass === undefined ? '—' : row.pass ? 'pass' : 'FAIL',
  };
}

/** The table as fixed-width text for the terminal. */
export function textTable(rows: readonly BenchRow[]): string {
  const table = [Object.fromEntries(COLUMNS.map((c) => [c, c])), ...rows.map(cells)] as Record<string, string>[];
  const widths = COLUMNS.map((column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const line = (row: Record<string, string>) => COLUMNS.map((column, i) => (row[column] ?? '').padEnd(widths[i] ?? 0)).join(' │ ');
  const [header, ...body] = table;
  return [line(header ?? {}), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...body.map(line)].join('\n');
}

/** The same table in Markdown, for the README's Performance section. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map((c) => (c === 'metric' ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${COLUMNS.map((c) => escape(cells(row)[c])).join(' | ')} |`),
  ].join('\n');
}

/** Writes the run as JSON (every row with its runs and speed-up) and Markdown under bench/results/. */
export function writeResults(directory: string, run: { startedAt: Date; quick: boolean; rows: readonly BenchRow[]; failed: readonly string[] }): string {
  mkdirSync(directory, { recursive: true });
  const stamp = run.startedAt.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const record = {
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: run.quick,
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageAtEnd: loadavg() },
    failedBenchmarks: run.failed,
    rows: run.rows.map((row) => ({ ...row, speedUp: speedUp(row) })),
  };
  const file = join(directory, `${stamp}${run.quick ? '-quick' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(directory, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(directory, 'latest.md'), `${markdownTable(run.rows)}\n`);
  return file;
}
