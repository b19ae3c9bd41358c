import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { Random } from '../server/seed/random.ts';
import type { Device } from '../shared/schema/device.ts';
import type { Risk } from '../shared/schema/risk.ts';
import { deviceMaintenanceField, deviceNotesField, saveDeviceNotesForm } from './support/device-notes.ts';
import { DESKTOP, PHONE, goOffline, goOnline, newUserContext, signInAs, waitForServiceWorker, waitForSync } from './support/browser.ts';
import { StepLog, pause, seedsFromEnvironment } from './support/randomized.ts';
import { conflictBadgeCount, conflictsOnServer, recordCount } from './support/server-conflicts.ts';
import { documentsOnServer } from './support/server-documents.ts';
import { appSuite } from './support/suite.ts';

/**
 * Several people, each on a browser profile of their own, edit fields nobody else edits of the
 * same documents while going offline, reloading, closing and reopening the app and reconnecting
 * at nearly the same moment, in an order a seed chooses. Edits to different fields never
 * conflict: in the end every person's last value is on the server and on every device, and no
 * conflict is recorded anywhere.
 *
 * Each seed edits a device and a risk no earlier seed touched; the people stay signed in from one
 * seed to the next (signing in three profiles costs more than a seed's steps), and sign in afresh
 * after a failed seed. MERGE_BROWSER_SEEDS=4,5,6 adds seeds; MERGE_BROWSER_SEED=2 replays one
 * (the browser's timing still differs from run to run); MERGE_BROWSER_STEPS sets steps per seed.
 */
const suite = appSuite();
// Fixed seeds whose plans, between them, take every step: overlapping offline edits of one document,
// reloads and reopening offline, the sign-out prompt, close reconnects.
const SEEDS = seedsFromEnvironment('MERGE_BROWSER', [5, 16, 34]);
const STEPS = Number(process.env['MERGE_BROWSER_STEPS'] ?? 16);

interface Target {
  device: Device;
  risk: Risk;
}

type FieldName = 'notes' | 'maintenance' | 'title' | 'description';

interface Field {
  /** The page the field is edited on. */
  path(target: Target): string;
  input(page: Page): Locator;
  /** Fills the field with `value` and saves; resolves once the form says the save completed. */
  save(page: Page, value: string): Promise<void>;
  /** A value no earlier save of this run used, as the input shows it. */
  valueFor(who: string, seed: number, save: number): string;
  /** The server's value, as the input shows it. */
  fromServer(target: Target): string;
}

async function saveRiskForm(page: Page, input: Locator, value: string): Promise<void> {
  await input.fill(value);
  // The submit clears the previous save's status before it writes: the status waited for is this save's.
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('.risk-form .saved').filter({ hasText: /^\s*Saved on this device/ }).waitFor();
}

/** What a datetime-local input shows for an instant (the browser runs in this process's zone). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const riskTitle = (page: Page) => page.getByLabel('Title', { exact: true });
const riskDescription = (page: Page) => page.getByLabel('Description', { exact: true });
const devicePath = (target: Target) => `/fleet/${target.device.id}`;
const riskPath = (target: Target) => `/risks/${target.risk.id}`;

const FIELDS: Record<FieldName, Field> = {
  notes: {
    path: devicePath,
    input: deviceNotesField,
    save: (page, value) => saveDeviceNotesForm(page, deviceNotesField(page), value),
    valueFor: (who, seed, save) => `Notes by the ${who}, seed ${seed}, save ${save}`,
    fromServer: ({ device }) => device.notes ?? '',
  },
  maintenance: {
    path: devicePath,
    input: deviceMaintenanceField,
    save: (page, value) => saveDeviceNotesForm(page, deviceMaintenanceField(page), value),
    // A day of its own per save, within a month of its own per seed.
    valueFor: (_who, seed, save) => `${2027 + Math.floor(seed / 12)}-${String((seed % 12) + 1).padStart(2, '0')}-${String(save).padStart(2, '0')}T${String(save % 24).padStart(2, '0')}:${String((seed * 7) % 60).padStart(2, '0')}`,
    fromServer: ({ device }) => toLocalInput(device.maintenanceUntil),
  },
  title: {
    path: riskPath,
    input: riskTitle,
    save: (page, value) => saveRiskForm(page, riskTitle(page), value),
    valueFor: (who, seed, save) => `Title by the ${who}, seed ${seed}, save ${save}`,
    fromServer: ({ risk }) => risk.title,
  },
  description: {
    path: riskPath,
    input: riskDescription,
    save: (page, value) => saveRiskForm(page, riskDescription(page), value),
    valueFor: (who, seed, save) => `Description by the ${who}, seed ${seed}, save ${save}`,
    fromServer: ({ risk }) => risk.description,
  },
};
const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

/** Who edits what: each field has exactly one editor, whose role may write it. */
const EDITORS: readonly { who: string; email: string; viewport: { width: number; height: number }; fields: readonly FieldName[] }[] = [
  { who: 'technician', email: 'technician@northwind.example', viewport: PHONE, fields: ['notes'] },
  { who: 'manager', email: 'manager@northwind.example', viewport: DESKTOP, fields: ['title', 'maintenance'] },
  { who: 'admin', email: 'admin@northwind.example', viewport: PHONE, fields: ['description'] },
];

interface Person {
  who: string;
  fields: readonly FieldName[];
  context: BrowserContext;
  page: Page;
  /** The page's path, kept across reloads and reopening. */
  path: string;
  isOffline: boolean;
  /** Saved since going offline: the pending count cannot drop until back online. */
  hasSavedOffline: boolean;
  /** What each of this person's fields must hold: the value they saved last (the original before that). */
  values: Partial<Record<FieldName, string>>;
  saves: number;
}

/** Signed in, synced, with the service worker installed: ready to go offline once a page it controls is open. */
async function signIn(editor: (typeof EDITORS)[number], people: Person[]): Promise<void> {
  const context = await newUserContext(suite.browser, editor.viewport);
  const page = await context.newPage();
  people.push({ who: editor.who, fields: editor.fields, context, page, path: '/', isOffline: false, hasSavedOffline: false, values: {}, saves: 0 });
  await signInAs(page, suite.server.url, editor.email);
  await waitForSync(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
}

let team: Person[] = [];
afterAll(() => Promise.all(team.map((person) => person.context.close())));

/** Documents an earlier seed of this run edited are left alone, so each seed starts clean. */
const usedDocuments = new Set<string>();

/** The seed's document, or the next one no earlier seed used: a replayed seed picks the same one. */
function pickUnused<T extends { id: string }>(random: Random, documents: readonly T[]): T {
  const sorted = [...documents].sort((a, b) => a.id.localeCompare(b.id));
  const start = random.int(0, sorted.length - 1);
  for (let offset = 0; offset < sorted.length; offset++) {
    const document = sorted[(start + offset) % sorted.length]!;
    if (!usedDocuments.has(document.id)) {
      usedDocuments.add(document.id);
      return document;
    }
  }
  throw new Error(`every one of the ${sorted.length} documents was used by an earlier seed`);
}

type Step =
  | { who: string; action: 'save'; field: FieldName }
  | { who: string; action: 'offline' | 'reload' | 'keep signed in' | 'sync' }
  | { who: string; action: 'online'; also?: { who: string; afterMs: number } }
  | { who: string; action: 'reopen'; runBeforeUnload: boolean };

interface Plan {
  /** The field whose page each person starts on. */
  startOn: Record<string, FieldName>;
  steps: Step[];
  /** At the end, those still offline reconnect this long after the end of the steps. */
  reconnects: { who: string; afterMs: number }[];
}

/**
 * What happens, chosen by the seed alone (not by timing), so a seed always plays the same steps:
 * mostly saves, with people offline much of the time.
 */
function planFor(random: Random, stepCount: number): Plan {
  const state = new Map(EDITORS.map((editor) => [editor.who, { isOffline: false, hasSavedOffline: false }]));
  const startOn = Object.fromEntries(EDITORS.map((editor) => [editor.who, random.pick(editor.fields)]));
  const steps: Step[] = [];
  for (let index = 0; index < stepCount; index++) {
    const editor = random.pick(EDITORS);
    const person = state.get(editor.who)!;
    const action = random.weighted<Step['action']>([
      ['save', 5],
      person.isOffline ? ['online', 1.5] : ['offline', 3],
      ['reload', 1.5],
      ['reopen', 1.5],
      ['keep signed in', person.isOffline && person.hasSavedOffline ? 2 : 0],
      ['sync', person.isOffline ? 0 : 0.7],
    ]);
    if (action === 'save') {
      steps.push({ who: editor.who, action, field: random.pick(editor.fields) });
      if (person.isOffline) person.hasSavedOffline = true;
    } else if (action === 'online') {
      const others = [...state].filter(([who, other]) => who !== editor.who && other.isOffline).map(([who]) => who);
      const also = others.length > 0 && random.chance(0.6) ? { who: random.pick(others), afterMs: random.int(0, 1500) } : undefined;
      steps.push(also ? { who: editor.who, action, also } : { who: editor.who, action });
      for (const who of [editor.who, ...(also ? [also.who] : [])]) state.set(who, { isOffline: false, hasSavedOffline: false });
    } else if (action === 'reopen') {
      steps.push({ who: editor.who, action, runBeforeUnload: random.chance(0.5) });
    } else {
      steps.push({ who: editor.who, action });
      if (action === 'offline') person.isOffline = true;
    }
  }
  const offline = random.shuffle([...state].filter(([, person]) => person.isOffline).map(([who]) => who));
  return { startOn, steps, reconnects: offline.map((who) => ({ who, afterMs: random.int(0, 1500) })) };
}

test.each(SEEDS)(
  'seed %i: people editing different fields of shared documents offline all keep their last value, with no conflict',
  async (seed) => {
    const { server } = suite;
    const random = new Random(seed, 'merge in browsers');
    const plan = planFor(random.fork('steps'), STEPS);
    const log = new StepLog(`merge-random seed ${seed} (replay with MERGE_BROWSER_SEED=${seed})`);
    console.log(`merge-random: seed ${seed}, ${STEPS} steps`);
    const people = team;
    const personNamed = (who: string) => people.find((person) => person.who === who)!;
    let hasPassed = false;
    let chosen: Target | undefined;
    /** The seed's documents as the server holds them, for a failure's evidence. */
    const targetOnServer = async (): Promise<string[]> => {
      const target = chosen;
      if (!target) return [];
      const context = personNamed('admin').context;
      const [devicesNow, risksNow] = await Promise.all([documentsOnServer<Device>(context, server.url, 'devices'), documentsOnServer<Risk>(context, server.url, 'risks')]);
      const device = devicesNow.find((d) => d.id === target.device.id);
      const risk = risksNow.find((r) => r.id === target.risk.id);
      return [
        `server, device: ${JSON.stringify({ notes: device?.notes, maintenanceUntil: device?.maintenanceUntil, conflicts: device?.conflicts })}`,
        `server, risk: ${JSON.stringify({ title: risk?.title, description: risk?.description, conflicts: risk?.conflicts })}`,
      ];
    };

    await log.run(
      `merge-random-seed${seed}`,
      () => people.map((person) => [person.who, person.page]),
      async () => {
        if (people.length === 0) {
          await Promise.all(EDITORS.map((editor) => signIn(editor, people)));
          log.add('everyone signed in and synced');
        }
        const observer = personNamed('admin');
        // A failed earlier seed may have left conflicts: this seed answers only for new ones.
        const conflictsBefore = await conflictsOnServer(observer.context, server.url);
        const [devices, risks] = await Promise.all([
          documentsOnServer<Device>(observer.context, server.url, 'devices'),
          documentsOnServer<Risk>(observer.context, server.url, 'risks'),
        ]);
        const documentsRandom = random.fork('documents');
        const target: Target = { device: pickUnused(documentsRandom, devices), risk: pickUnused(documentsRandom, risks) };
        chosen = target;
        log.add(`device ${target.device.hostname} (${target.device.id}), risk "${target.risk.title}" (${target.risk.id})`);

        /** The person's page is open and shows their fields on it as they last saved them. */
        const isReady = async (person: Person) => {
          for (const field of person.fields.filter((name) => FIELDS[name].path(target) === person.path)) {
            const input = FIELDS[field].input(person.page);
            await input.waitFor();
            await expect.poll(() => input.inputValue(), { message: `${person.who}'s ${field} on their page` }).toBe(person.values[field]);
          }
        };
        const open = async (person: Person, path: string) => {
          person.path = path;
          await person.page.goto(`${server.url}${path}`);
          await isReady(person);
        };
        await Promise.all(
          people.map(async (person) => {
            Object.assign(person, { isOffline: false, hasSavedOffline: false, saves: 0, values: Object.fromEntries(person.fields.map((field) => [field, FIELDS[field].fromServer(target)])) });
            await open(person, FIELDS[plan.startOn[person.who]!].path(target));
            // The service worker controls this page: going offline keeps the app.
            await waitForServiceWorker(person.page);
          }),
        );
        log.add('everyone on a form');

        const goOnlineNow = async (person: Person) => {
          await goOnline(person.context);
          person.isOffline = false;
          person.hasSavedOffline = false;
        };

        const play = async (step: Step) => {
          const person = personNamed(step.who);
          const { page } = person;
          const where = person.isOffline ? ' offline' : '';
          switch (step.action) {
            case 'save': {
              const field = FIELDS[step.field];
              const path = field.path(target);
              if (person.path !== path) {
                log.add(`${person.who} opens ${path}${where}`);
                await open(person, path);
              }
              person.saves++;
              const value = field.valueFor(person.who, seed, person.saves);
              log.add(`${person.who} saves ${step.field} "${value}"${where}`);
              await field.save(person.page, value);
              person.values[step.field] = value;
              if (person.isOffline) person.hasSavedOffline = true;
              return;
            }
            case 'offline':
              log.add(`${person.who} goes offline`);
              await goOffline(person.context);
              person.isOffline = true;
              await page.locator('.sync[data-state="online"]').waitFor({ state: 'detached' });
              return;
            case 'online': {
              const { also } = step;
              if (also) {
                log.add(`${person.who} goes online, the ${also.who} ${also.afterMs} ms later`);
                await Promise.all([goOnlineNow(person), pause(also.afterMs).then(() => goOnlineNow(personNamed(also.who)))]);
              } else {
                log.add(`${person.who} goes online`);
                await goOnlineNow(person);
              }
              return;
            }
            case 'reload':
              log.add(`${person.who} reloads${where}`);
              await page.reload();
              await isReady(person);
              return;
            case 'reopen': {
              log.add(`${person.who} closes the page${step.runBeforeUnload ? ' (beforeunload)' : ''} and opens a new one${where}`);
              const closed = page.waitForEvent('close');
              await page.close({ runBeforeUnload: step.runBeforeUnload });
              await closed;
              person.page = await person.context.newPage();
              await open(person, person.path);
              return;
            }
            case 'keep signed in': {
              log.add(`${person.who} opens Sign out and keeps signed in`);
              // Offline with a save made since: the count cannot reach 0, so Sign out asks first.
              await expect.poll(() => page.getByTestId('pending-count').textContent(), { message: `${person.who}'s pending count offline after a save` }).toMatch(/^[1-9]\d* pending$/);
              await page.getByRole('button', { name: 'Sign out' }).click();
              const dialog = page.getByRole('alertdialog');
              await dialog.getByRole('button', { name: 'Keep me signed in' }).click();
              await dialog.waitFor({ state: 'detached' });
              return;
            }
            case 'sync':
              log.add(`${person.who} waits until synced`);
              await waitForSync(page);
              return;
          }
        };
        for (const step of plan.steps) await play(step);

        // Everyone reconnects, those who were offline within moments of each other.
        log.add(`everyone online: ${plan.reconnects.map(({ who, afterMs }) => `${who} after ${afterMs} ms`).join(', ') || 'nobody was offline'}`);
        await Promise.all(plan.reconnects.map(({ who, afterMs }) => pause(afterMs).then(() => goOnlineNow(personNamed(who)))));
        for (const person of people) {
          log.add(`${person.who} waits until synced`);
          await waitForSync(person.page);
        }

        const expected = Object.fromEntries(people.flatMap((person) => Object.entries(person.values))) as Record<FieldName, string>;
        log.add(`expected: ${JSON.stringify(expected)}`);
        const onServer = async () => {
          const [devicesNow, risksNow] = await Promise.all([
            documentsOnServer<Device>(observer.context, server.url, 'devices'),
            documentsOnServer<Risk>(observer.context, server.url, 'risks'),
          ]);
          const now: Target = { device: devicesNow.find((d) => d.id === target.device.id)!, risk: risksNow.find((r) => r.id === target.risk.id)! };
          return Object.fromEntries(FIELD_NAMES.map((field) => [field, FIELDS[field].fromServer(now)]));
        };
        await expect.poll(onServer, { timeout: 30_000, message: 'every last value on the server' }).toEqual(expected);

        const conflictsAfter = await conflictsOnServer(observer.context, server.url);
        expect([...conflictsAfter].filter(([key]) => !conflictsBefore.has(key)).map(([key, conflicts]) => `${key}: ${JSON.stringify(conflicts)}`), 'new conflict records on the server').toEqual([]);
        const recordsBefore = recordCount(conflictsBefore);

        // Every person's device shows every value, and no conflict to review.
        log.add('every page shows every value');
        await Promise.all(
          people.map(async (person) => {
            for (const path of [devicePath(target), riskPath(target)]) {
              await open(person, path);
              for (const field of FIELD_NAMES.filter((name) => FIELDS[name].path(target) === path)) {
                await expect.poll(() => FIELDS[field].input(person.page).inputValue(), { message: `${field} on the ${person.who}'s page` }).toBe(expected[field]);
              }
              expect(await conflictBadgeCount(person.page), `conflicts in the badge on the ${person.who}'s page (${recordsBefore} left by earlier seeds)`).toBe(recordsBefore);
            }
          }),
        );
        log.add('passed');
        console.log(log.toString());
        hasPassed = true;
      },
      targetOnServer,
    ).finally(async () => {
      // Whatever state a failure left them in, the next seed starts from fresh profiles.
      if (!hasPassed) {
        team = [];
        await Promise.all(people.map((person) => person.context.close()));
      }
    });
  },
  120_000,
);
