import { For, Match, Show, Switch, createSignal } from 'solid-js';
import type { Risk } from '../../../shared/schema/risk.ts';
import { useReplica } from '../../app/replica-context.tsx';
import { newId } from '../../data/ids.ts';
import { createDocument, updateDocument } from '../../data/write.ts';
import { parseRiskCsv, withCsvFields, type CsvImport, type CsvPerson, type ImportedRow } from './risk-csv.ts';

interface WriteOutcome {
  written: number;
  failures: { row: number; message: string }[];
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * CSV import in two steps: the file is read and every row checked, the person sees what would
 * be created, updated and refused, and only then confirms. Refused rows are never written.
 */
export function RiskImport(props: { risks: Risk[]; people: CsvPerson[]; writerOrgIds: string[]; onClose(): void }) {
  const replica = useReplica();
  const [fileName, setFileName] = createSignal<string>();
  const [preview, setPreview] = createSignal<CsvImport>();
  const [outcome, setOutcome] = createSignal<WriteOutcome>();
  const [isWriting, setWriting] = createSignal(false);
  const toWrite = () => preview()?.rows.filter((r) => r.kind !== 'unchanged') ?? [];
  const count = (kind: ImportedRow['kind']) => preview()?.rows.filter((r) => r.kind === kind).length ?? 0;

  const read = async (file: File | undefined) => {
    setOutcome(undefined);
    setPreview(undefined);
    setFileName(file?.name);
    if (!file) return;
    const text = await file.text();
    setPreview(
      parseRiskCsv(text, {
        existing: new Map(props.risks.map((risk) => [risk.id, risk])),
        people: props.people,
        defaultOrgId: props.writerOrgIds.length === 1 ? props.writerOrgIds[0] : undefined,
        newId,
        now: new Date().toISOString(),
      }),
    );
  };

  const write = async () => {
    setWriting(true);
    const failures: WriteOutcome['failures'] = [];
    let written = 0;
    for (const row of toWrite()) {
      const { updatedAt: _ignored, ...draft } = row.risk;
      const result =
        row.kind === 'create' ? await createDocument(replica, 'risks', draft) : await updateDocument(replica, 'risks', row.risk.id, (current) => withCsvFields(current, row.risk));
      if (result.ok) written++;
      else failures.push({ row: row.row, message: result.message });
    }
    setWriting(false);
    setPreview(undefined);
    setOutcome({ written, failures });
  };

  return (
    <section class="card risk-import" aria-labelledby="risk-import-title">
      <div class="import-head">
        <h2 id="risk-import-title">Import risks from CSV</h2>
        <button type="button" class="small" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <p class="muted">
        Use the columns of an export. A row with an id updates that risk; a row without one adds a risk. Mitigations stay as they are: their column is
        not read. Nothing is written until you confirm.
      </p>
      <div class="field">
        <label for="risk-import-file">CSV file</label>
        <input id="risk-import-file" type="file" accept=".csv,text/csv" onChange={(e) => void read(e.currentTarget.files?.[0])} />
      </div>

      <Show when={preview()}>
        {(checked) => (
          <div class="import-preview" role="status" aria-live="polite">
            <Switch>
              <Match when={checked().fileProblems.length > 0}>
                <div role="alert" class="import-problems">
                  <p>
                    <strong>{fileName()} cannot be imported:</strong>
                  </p>
                  <ul>
                    <For each={checked().fileProblems}>{(problem) => <li>{problem}</li>}</For>
                  </ul>
                </div>
              </Match>
              <Match when={true}>
                <p class="import-summary" data-testid="import-summary">
                  <strong>{fileName()}:</strong> {plural(count('create'), 'new risk')}, {count('update')} to update, {count('unchanged')} unchanged
                  <Show when={checked().problems.length > 0}>, {plural(checked().problems.length, 'row')} refused</Show>.
                </p>
                <Show when={checked().problems.length > 0}>
                  <div class="import-problems">
                    <h3>Refused rows (not imported)</h3>
                    <ul data-testid="import-problems">
                      <For each={checked().problems}>
                        {(problem) => (
                          <li>
                            <strong>Row {problem.row}:</strong> {problem.messages.join('; ')}
                          </li>
                        )}
                      </For>
                    </ul>
                    <p class="muted">Fix these rows in the file and import it again; the rows above are not guessed.</p>
                  </div>
                </Show>
                <div class="actions">
                  <button type="button" class="primary" disabled={toWrite().length === 0 || isWriting()} onClick={() => void write()}>
                    {isWriting() ? 'Importing…' : toWrite().length === 0 ? 'Nothing to import' : `Import ${plural(toWrite().length, 'risk')}`}
                  </button>
                  <button type="button" onClick={() => setPreview(undefined)}>
                    Cancel
                  </button>
                </div>
              </Match>
            </Switch>
          </div>
        )}
      </Show>

      <Show when={outcome()}>
        {(done) => (
          <div role="status" class="import-outcome">
            <p>
              <strong>{plural(done().written, 'risk')} saved on this device</strong>; they sync when there is a connection.
            </p>
            <Show when={done().failures.length > 0}>
              <ul class="field-error" role="alert">
                <For each={done().failures}>
                  {(failure) => (
                    <li>
                      Row {failure.row}: {failure.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
