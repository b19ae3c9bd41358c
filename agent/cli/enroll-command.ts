import { hostname } from 'node:os';
import * as v from 'valibot';
import type { EnrollRequest } from '../../shared/agent/protocol.ts';
import { Id } from '../../shared/schema/common.ts';
import { withTrailingSlash } from '../delivery/ingest-client.ts';
import { AgentError } from '../errors.ts';
import { NetworkFailure, apiError, describeUnexpectedAnswer, postJson, type JsonAnswer } from '../http/post-json.ts';
import { readCredentials, writeCredentials } from '../state/credentials.ts';
import { databasePath, openAgentDatabase } from '../state/database.ts';
import { AgentMemory } from '../state/memory.ts';
import { AGENT_VERSION } from '../version.ts';
import type { Command } from './args.ts';

const EnrollAnswer = v.object({
  deviceId: Id,
  deviceSecret: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{20,100}$/)),
  orgId: Id,
  siteId: Id,
});

export interface EnrollDeps {
  out: (line: string) => void;
  warn: (line: string) => void;
  fetch?: typeof fetch;
  hostname?: () => string;
  now?: () => number;
}

/** Token in, identity out: the secret is written owner-only and never printed. */
export async function enrollCommand(command: Extract<Command, { name: 'enroll' }>, deps: EnrollDeps): Promise<number> {
  const existing = readCredentials(command.stateDir);
  if (existing && !command.force) {
    throw new AgentError(`already enrolled to ${existing.server} as device ${existing.deviceId}: pass --force to enroll again`);
  }
  const url = new URL('api/agent/enroll', withTrailingSlash(command.server));
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    deps.warn(`warning: ${url.origin} is plain HTTP: the token and the device secret cross the network unencrypted; use https://`);
  }
  const request: EnrollRequest = {
    token: command.token,
    hostname: (deps.hostname ?? hostname)().slice(0, 253) || 'unknown',
    agentVersion: AGENT_VERSION,
    ...(command.deviceKind === undefined ? {} : { deviceKind: command.deviceKind }),
  };

  let answer: JsonAnswer;
  try {
    answer = await postJson(url, JSON.stringify(request), deps.fetch ? { fetch: deps.fetch } : {});
  } catch (error) {
    if (error instanceof NetworkFailure) throw new AgentError(error.message);
    throw error;
  }
  const identity = identityFrom(url, answer);

  writeCredentials(command.stateDir, { server: command.server, ...identity, enrolledAt: new Date((deps.now ?? Date.now)()).toISOString() });
  // A new identity starts from nothing: the server must hear the inventory and every check again.
  const db = openAgentDatabase(databasePath(command.stateDir));
  try {
    new AgentMemory(db).forget();
  } finally {
    db.close();
  }
  deps.out(`enrolled ${request.hostname} as device ${identity.deviceId} (site ${identity.siteId}) at ${command.server}`);
  deps.out(`credentials: ${command.stateDir} (owner only); start reporting with: outpost-agent run --state-dir ${quote(command.stateDir)}`);
  return 0;
}

function identityFrom(url: URL, answer: JsonAnswer): v.InferOutput<typeof EnrollAnswer> {
  if (answer.status === 200 || answer.status === 201) {
    const parsed = v.safeParse(EnrollAnswer, answer.body);
    if (parsed.success) return parsed.output;
    throw new AgentError(`${url.origin} answered the enrollment with something other than a device identity: is it an Outpost server?`);
  }
  const refusal = apiError(answer.body);
  // 401/403/410 (token invalid, revoked, expired) and 429 carry messages written for this line.
  if (refusal && [401, 403, 410, 429].includes(answer.status)) throw new AgentError(refusal.message);
  if (refusal && answer.status === 400) throw new AgentError(`the server refused the enrollment request: ${refusal.message}`);
  throw new AgentError(describeUnexpectedAnswer(url, answer));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const quote = (path: string) => (/^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`);
