import type { ProtectionState } from '../collect/snapshot.ts';
import type { CheckResult } from './check-result.ts';

/** Antivirus off is an open door (critical); a host firewall off is a missing layer (warning). */
export function checkAntivirus(state: ProtectionState): CheckResult {
  if (state === 'on') return { check: 'antivirus', state: 'ok', message: 'antivirus protection is on' };
  if (state === 'off') return { check: 'antivirus', state: 'critical', message: 'antivirus protection is off: turn it back on' };
  return { check: 'antivirus', state: 'unknown', message: 'this system does not report its antivirus state' };
}

export function checkFirewall(state: ProtectionState): CheckResult {
  if (state === 'on') return { check: 'firewall', state: 'ok', message: 'firewall is on' };
  if (state === 'off') return { check: 'firewall', state: 'warning', message: 'firewall is off: turn it back on' };
  return { check: 'firewall', state: 'unknown', message: 'this system does not report its firewall state' };
}
