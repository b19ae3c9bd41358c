import { hostname as osHostname } from 'node:os';
import * as si from 'systeminformation';
import { readOsSignals } from './os-signals.ts';
import { addressesFrom, cpuFrom, disksFrom, memoryFrom, meaningfulText, modelFrom, osFrom } from './normalize.ts';
import type { SystemProbe, SystemSnapshot } from './snapshot.ts';

/** A hung network mount can stall `df` for minutes; one slow part must not stall the cycle. */
const PART_TIMEOUT_MS = 20_000;

/**
 * The real machine, through systeminformation. Each part is collected on its own: whatever
 * fails or times out is left out of the snapshot instead of failing the whole cycle.
 */
export function systeminformationProbe(): SystemProbe {
  return {
    async collect(): Promise<SystemSnapshot> {
      const [os, system, cpu, load, mem, fileSystems, interfaces, signals] = await Promise.all([
        part(si.osInfo()),
        part(si.system()),
        part(si.cpu()),
        part(si.currentLoad()),
        part(si.mem()),
        part(si.fsSize()),
        part(si.networkInterfaces()),
        part(readOsSignals(process.platform)),
      ]);
      const time = si.time();
      const cpuInfo = cpuFrom(cpu, load);
      const osInfo = os ? osFrom(os) : undefined;
      const model = system ? modelFrom(system) : undefined;
      const serial = system ? meaningfulText(system.serial, 100) : undefined;
      const memory = mem ? memoryFrom(mem) : undefined;
      const pendingUpdates = signals?.pendingUpdates;
      return {
        hostname: meaningfulText(os?.hostname, 253) ?? osHostname().slice(0, 253),
        ...(osInfo ? { os: osInfo } : {}),
        ...(model === undefined ? {} : { model }),
        ...(serial === undefined ? {} : { serial }),
        ...(cpuInfo ? { cpu: cpuInfo } : {}),
        ...(memory ? { memory } : {}),
        disks: fileSystems ? disksFrom(fileSystems) : [],
        network: interfaces ? addressesFrom(interfaces) : { ips: [], macs: [] },
        ...(Number.isFinite(time.uptime) && time.uptime >= 0 ? { uptimeSeconds: Math.floor(time.uptime) } : {}),
        ...(pendingUpdates === undefined ? {} : { pendingUpdates }),
        antivirus: signals?.antivirus ?? 'unknown',
        firewall: signals?.firewall ?? 'unknown',
      };
    },
  };
}

async function part<T>(promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PART_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
