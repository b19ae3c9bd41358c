/**
 * Runs each measurement `warmUps` times unrecorded, then `runs` times, the measurements of one
 * round back to back (Outpost, then its peer) so both see the same moment of a noisy machine.
 */
export async function interleaved<K extends string>(
  measurements: Record<K, () => Promise<number>>,
  options: { runs: number; warmUps: number },
): Promise<Record<K, number[]>> {
  const keys = Object.keys(measurements) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let round = -options.warmUps; round < options.runs; round++) {
    for (const key of keys) {
      const value = await measurements[key]();
      if (round >= 0) samples[key].push(value);
    }
  }
  return samples;
}
