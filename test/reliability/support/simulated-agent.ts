import type { AgentRecord, CheckRecord, EnrollResponse, IngestResponse } from '../../../shared/agent/protocol.ts';
import { formatDeviceCredential } from '../../../shared/agent/protocol.ts';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';

const STATES: CheckRecord['state'][] = ['ok', 'warning', 'critical', 'warning', 'ok'];
const json = { 'content-type': 'application/json' };

/**
 * An endpoint agent reduced to its delivery contract: records go to an outbox first, are sent
 * in batches, and leave the outbox only once the server acknowledged their ids; an unanswered
 * batch is sent again. Each batch carries a heartbeat and a disk check that changes state, so
 * the server opens, escalates and resolves alerts.
 */
export class SimulatedAgent {
  /** Every record ever produced, by id. */
  readonly produced = new Map<string, AgentRecord>();
  readonly acknowledged = new Set<string>();
  #outbox: AgentRecord[] = [];
  #observedMs = Date.now() - 3_600_000;
  #step = 0;

  private constructor(
    readonly deviceId: string,
    private readonly credential: string,
  ) {}

  static async enroll(url: string, token: string, hostname: string): Promise<SimulatedAgent> {
    const response = await fetch(`${url}/api/agent/enroll`, { method: 'POST', headers: json, body: JSON.stringify({ token, hostname, agentVersion: '0.1.0' }) });
    if (response.status !== 201) throw new Error(`enrollment failed: ${response.status} ${await response.text()}`);
    const enrolled = (await response.json()) as EnrollResponse;
    return new SimulatedAgent(enrolled.deviceId, formatDeviceCredential(enrolled.deviceId, enrolled.deviceSecret));
  }

  get outboxDepth(): number {
    return this.#outbox.length;
  }

  /** A heartbeat and the disk check's next state, observed one second apart. */
  produce(): void {
    const state = STATES[this.#step % STATES.length] ?? 'ok';
    const heartbeat: AgentRecord = { kind: 'heartbeat', id: uuidv7(), observedAt: this.#tick(), cpuPercent: this.#step % 100, memoryUsedPercent: 40 };
    const check: AgentRecord = { kind: 'check', id: uuidv7(), observedAt: this.#tick(), check: 'disk_space', state, message: `C: ${state} at step ${this.#step}` };
    this.#step++;
    for (const record of [heartbeat, check]) {
      this.produced.set(record.id, record);
      this.#outbox.push(record);
    }
  }

  /** Sends the outbox; false when no answer came (the records stay for the next attempt). */
  async deliver(url: string): Promise<boolean> {
    const records = this.#outbox.slice(0, 500);
    if (records.length === 0) return true;
    let answer: IngestResponse;
    try {
      const response = await fetch(`${url}/api/agent/ingest`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${this.credential}` },
        body: JSON.stringify({ agentVersion: '0.1.0', records }),
      });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      answer = (await response.json()) as IngestResponse;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('ingest answered')) throw error;
      return false;
    }
    const accepted = new Set(answer.accepted);
    for (const id of accepted) this.acknowledged.add(id);
    this.#outbox = this.#outbox.filter((record) => !accepted.has(record.id));
    return true;
  }

  /** Check records acknowledged by the server (heartbeats are soft state by design). */
  acknowledgedChecks(): string[] {
    return [...this.acknowledged].filter((id) => this.produced.get(id)?.kind === 'check');
  }

  checks(): CheckRecord[] {
    return [...this.produced.values()].filter((record): record is CheckRecord => record.kind === 'check');
  }

  #tick(): string {
    this.#observedMs += 1000;
    return new Date(this.#observedMs).toISOString();
  }
}
