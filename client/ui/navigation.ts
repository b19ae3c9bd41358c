import type { Role } from '../../shared/schema/user.ts';
import { isAtLeast } from '../../shared/auth/roles.ts';

export interface Destination {
  href: string;
  label: string;
  icon: string;
  /** Shown in the phone's bottom bar; the rest sit under "More". */
  isPrimary: boolean;
  minimumRole: Role;
}

export const DESTINATIONS: readonly Destination[] = [
  { href: '/', label: 'Dashboard', icon: '◉', isPrimary: true, minimumRole: 'staff' },
  { href: '/fleet', label: 'Fleet', icon: '▦', isPrimary: true, minimumRole: 'staff' },
  { href: '/alerts', label: 'Alerts', icon: '⚠', isPrimary: true, minimumRole: 'staff' },
  { href: '/runbooks', label: 'Runbooks', icon: '☰', isPrimary: true, minimumRole: 'staff' },
  { href: '/incidents', label: 'Incidents', icon: '✚', isPrimary: false, minimumRole: 'staff' },
  { href: '/risks', label: 'Risks', icon: '◆', isPrimary: false, minimumRole: 'technician' },
  { href: '/conflicts', label: 'Conflicts', icon: '⇄', isPrimary: false, minimumRole: 'staff' },
  { href: '/admin', label: 'Admin', icon: '⚙', isPrimary: false, minimumRole: 'admin' },
];

export const destinationsFor = (role: Role) => DESTINATIONS.filter((d) => isAtLeast(role, d.minimumRole));
