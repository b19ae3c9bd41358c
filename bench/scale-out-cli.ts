import { benchScaleOut } from './scale-out.ts';

/** `tsx bench/scale-out-cli.ts [--quick]`: the scale-out rows alone, for measuring outside `npm run bench`. */
async function main(): Promise<void> {
  const rows = await benchScaleOut({ quick: process.argv.includes('--quick') });
  console.table(rows.map(({ metric, unit, outpost, budget, pass, runs }) => ({ metric, unit, outpost, budget: budget ?? '', pass: pass ?? '', runs: runs?.join(' ') ?? '' })));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
