import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/open-store.ts';
import { DEMO_OPTIONS, generateDataset } from './generate.ts';
import { DEMO_PASSWORD } from './demo-accounts.ts';
import { seedDatabase } from './seed-database.ts';

const count = (max: number) => v.pipe(v.string(), v.regex(/^\d+$/, 'must be a whole number'), v.transform(Number), v.maxValue(max));

const ArgsSchema = v.object({
  seed: v.optional(count(2 ** 31), String(DEMO_OPTIONS.seed)),
  orgs: v.optional(v.pipe(count(50), v.minValue(1)), String(DEMO_OPTIONS.orgs)),
  'sites-per-org': v.optional(v.pipe(count(500), v.minValue(1)), String(DEMO_OPTIONS.sitesPerOrg)),
  devices: v.optional(count(1_000_000), String(DEMO_OPTIONS.devices)),
  runbooks: v.optional(count(100_000), String(DEMO_OPTIONS.runbooks)),
  risks: v.optional(count(100_000), String(DEMO_OPTIONS.risks)),
  incidents: v.optional(count(100_000), String(DEMO_OPTIONS.incidents)),
  force: v.optional(v.boolean(), false),
});

const USAGE = 'usage: npm run seed -- [--devices N] [--runbooks N] [--risks N] [--incidents N] [--orgs N] [--sites-per-org N] [--seed N] [--force]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      orgs: { type: 'string' },
      'sites-per-org': { type: 'string' },
      devices: { type: 'string' },
      runbooks: { type: 'string' },
      risks: { type: 'string' },
      incidents: { type: 'string' },
      force: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = v.safeParse(ArgsSchema, values);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new Error(`--${v.getDotPath(issue) ?? '?'}: ${issue.message}\n${USAGE}`);
  }
  const args = parsed.output;
  const store = await openStore(loadConfig());
  try {
    if (!args.force && (await store.countDocuments()) > 0) {
      throw new Error('the database already holds data: pass --force to add the generated data anyway, or point OUTPOST_DATA_DIR at an empty directory');
    }
    const started = performance.now();
    const dataset = generateDataset({
      seed: args.seed,
      orgs: args.orgs,
      sitesPerOrg: args['sites-per-org'],
      devices: args.devices,
      runbooks: args.runbooks,
      risks: args.risks,
      incidents: args.incidents,
      now: new Date(),
    });
    const { counts, accounts } = await seedDatabase(store, dataset);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Seeded in ${seconds} s: ${Object.entries(counts).map(([c, n]) => `${n} ${c}`).join(', ')}`);
    console.log(`Sign in as ${accounts.map((a) => a.email).join(', ')} with the password ${DEMO_PASSWORD}`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
