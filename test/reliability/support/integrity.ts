import type { ServerProcess } from '../../support/server-process.ts';

/**
 * What is wrong with a server's database after a crash, as sentences (none: sound). SQLite checks
 * its own structure (pages, indexes, foreign keys); on both engines the change sequence must be
 * whole: no two documents of an organization share a sequence number, none is past the
 * organization's counter, and every document's organization has a counter.
 */
export async function integrityProblems(server: ServerProcess): Promise<string[]> {
  const problems: string[] = [];
  if (server.engine === 'sqlite') {
    const verdict = await server.sql<{ integrity_check: string }>('PRAGMA integrity_check');
    if (verdict.map((row) => row.integrity_check).join() !== 'ok') problems.push(`integrity_check: ${JSON.stringify(verdict)}`);
    const orphans = await server.sql('PRAGMA foreign_key_check');
    if (orphans.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(orphans)}`);
  }
  const shared = await server.sql('SELECT org_id, seq FROM documents GROUP BY org_id, seq HAVING count(*) > 1');
  if (shared.length > 0) problems.push(`sequence numbers used twice: ${JSON.stringify(shared)}`);
  const ahead = await server.sql(
    `SELECT d.org_id FROM documents d LEFT JOIN org_sequences s ON s.org_id = d.org_id
     GROUP BY d.org_id, s.last_seq HAVING s.last_seq IS NULL OR max(d.seq) > s.last_seq`,
  );
  if (ahead.length > 0) problems.push(`documents past their organization's counter: ${JSON.stringify(ahead)}`);
  return problems;
}
