import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../shared/id/uuidv7.ts';
import { channelFor, decodeAnnouncement, encodeAnnouncement, type ChangeAnnouncement } from './change-notifications.ts';

describe('change announcements', () => {
  const announcement: ChangeAnnouncement = {
    instance: 'a1b2c3d4e5f60718',
    collection: 'devices',
    orgId: uuidv7(),
    fromSeq: 41,
    toSeq: 1_000_000_000_000,
    isSilent: false,
  };

  it('travel as a small payload of fixed shape, whatever the size of the write', () => {
    const payload = encodeAnnouncement(announcement);
    expect(new TextEncoder().encode(payload).length).toBeLessThan(300);
    expect(decodeAnnouncement(payload)).toEqual(announcement);
  });

  it('are ignored when something else speaks on the channel', () => {
    for (const payload of [undefined, '', 'hello', '{}', '[]', JSON.stringify({ ...announcement, collection: 'secrets' }), JSON.stringify({ ...announcement, fromSeq: 9, toSeq: 3 }), JSON.stringify({ ...announcement, toSeq: 1.5 })]) {
      expect(decodeAnnouncement(payload), String(payload)).toBeUndefined();
    }
  });

  it('use one channel per schema, within the length PostgreSQL allows', () => {
    expect(channelFor('public')).toBe('outpost_changes');
    expect(channelFor('tenant_eu')).toBe('outpost_changes_tenant_eu');
    const long = channelFor('s'.repeat(63));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(channelFor(`${'s'.repeat(62)}t`));
  });
});
