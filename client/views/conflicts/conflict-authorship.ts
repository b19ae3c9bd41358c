import type { ConflictSide } from '../../../shared/schema/common.ts';

/** One piece of the line under a value: text, or a time (shown relative, exact on hover). */
export type AuthorshipPart = { text: string } | { time: string };

/**
 * "by Dana Kim · 2 h ago on their device · 2 h ago on the server": who wrote one side of a
 * conflict and when, on the author's clock and on the server's, so a person can tell a real
 * clash from a stale device. The other value never became the field's value on the server, so it
 * has no server time. Records replicate to every device: the line speaks of the writer's device,
 * "your device" when the viewer wrote it. Records from before sides were kept say nothing (empty).
 */
export function authorshipOf(side: ConflictSide | undefined, role: 'kept' | 'other', viewerId: string | undefined): AuthorshipPart[] {
  if (side === undefined) return [];
  const isViewer = side.byKind !== 'agent' && side.byKind !== 'system' && side.by !== undefined && side.by === viewerId;
  const parts: AuthorshipPart[] = [{ text: writerOf(side, isViewer) }];
  // The server's own writes carry its clock twice: the server time says it.
  const device = isViewer ? 'your device' : side.byKind === 'agent' ? 'the device' : side.byKind === 'system' ? undefined : 'their device';
  const hasDeviceTime = side.at !== undefined && device !== undefined;
  if (side.at !== undefined && device !== undefined) parts.push({ text: ' · ' }, { time: side.at }, { text: ` on ${device}` });
  if (side.serverAt !== undefined) parts.push({ text: ' · ' }, { time: side.serverAt }, { text: ' on the server' });
  else if (role === 'other') parts.push({ text: hasDeviceTime ? ', not yet on the server' : ' · not yet on the server' });
  return parts;
}

function writerOf(side: ConflictSide, isViewer: boolean): string {
  if (isViewer) return 'by you';
  switch (side.byKind) {
    case 'agent':
      return 'by the device’s agent';
    case 'system':
      return 'by the Outpost server';
    case 'user':
      // No name: the writer has left the organization (the server names only current members).
      return `by ${side.byName ?? 'a former member'}`;
    default:
      return side.byName ? `by ${side.byName}` : 'writer not recorded';
  }
}

/** The line as plain text, times through `formatTime` (the view shows them relative). */
export function authorshipText(parts: readonly AuthorshipPart[], formatTime: (iso: string) => string): string {
  return parts.map((part) => ('time' in part ? formatTime(part.time) : part.text)).join('');
}
