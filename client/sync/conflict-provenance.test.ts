import { describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../../shared/schema/common.ts';
import { mergeConflictHandler } from './conflict-handler.ts';
import { ConflictProvenanceLog, conflictProvenanceOf } from './conflict-provenance.ts';

const DEVICE_ID = '01900000-0000-7000-8000-0000000000d1';
const DANA = '01900000-0000-7000-8000-0000000000a1';
const ALEX = '01900000-0000-7000-8000-0000000000a2';
const T_BASE = '2026-03-01T08:00:00.000Z';
const T_MASTER = '2026-03-01T09:00:00.000Z';
const T_SERVER = '2026-03-01T09:00:02.000Z';
const T_LOCAL = '2026-03-01T09:30:00.000Z';

const base = { id: DEVICE_ID, updatedAt: T_BASE, model: 'M404', _deleted: false };
const master = { ...base, model: 'M404dn', updatedAt: T_MASTER };
const local = { ...base, model: 'M406', updatedAt: T_LOCAL, _rev: '2-abc', _meta: { lwt: 1 } };
const provenance = [{ id: DEVICE_ID, writtenAt: T_SERVER, writtenBy: { kind: 'user', id: DANA, name: 'Dana Kim' } }];

describe('ConflictProvenanceLog', () => {
  it('hands the merge the writer and server time of exactly the master the server answered with, once', () => {
    const log = new ConflictProvenanceLog();
    log.record('devices', [master], provenance);
    expect(log.takeWriterOf('devices', { ...master, _rev: '3-x', _meta: { lwt: 2 } })).toEqual({ kind: 'user', id: DANA, name: 'Dana Kim', serverAt: T_SERVER });
    expect(log.takeWriterOf('devices', master)).toBeUndefined();
  });

  it('says nothing about another state of the document, another collection, or a master it was not told about', () => {
    const log = new ConflictProvenanceLog();
    log.record('devices', [master], provenance);
    expect(log.takeWriterOf('alerts', master)).toBeUndefined();
    expect(log.takeWriterOf('devices', { ...master, model: 'changed since' })).toBeUndefined();
    log.record('devices', [master], []);
    expect(log.takeWriterOf('devices', master)).toBeUndefined();
  });

  it('ignores provenance it cannot read (an older server sends none), instead of failing the replication', () => {
    const log = new ConflictProvenanceLog();
    log.record('devices', [master], undefined);
    log.record('devices', [master], [{ id: DEVICE_ID, writtenAt: 'yesterday' }]);
    log.record('devices', [master], 'nonsense');
    expect(log.size).toBe(0);
  });

  it('keeps a server time without a writer for documents written before the server recorded writers', () => {
    const log = new ConflictProvenanceLog();
    log.record('devices', [master], [{ id: DEVICE_ID, writtenAt: T_SERVER }]);
    expect(log.takeWriterOf('devices', master)).toEqual({ serverAt: T_SERVER });
  });

  it('stays bounded when nothing takes what it keeps', () => {
    const log = new ConflictProvenanceLog();
    for (let i = 0; i < 1500; i++) {
      const id = `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      log.record('devices', [{ ...master, id }], [{ id, writtenAt: T_SERVER }]);
    }
    expect(log.size).toBe(1000);
  });

  it('is one log per database', () => {
    const [first, second] = [{}, {}];
    expect(conflictProvenanceOf(first)).toBe(conflictProvenanceOf(first));
    expect(conflictProvenanceOf(first)).not.toBe(conflictProvenanceOf(second));
  });
});

describe('mergeConflictHandler: who wrote each value', () => {
  const resolve = async (handler: ReturnType<typeof mergeConflictHandler<typeof local>>) =>
    (await handler.resolve({ assumedMasterState: base as never, realMasterState: master as never, newDocumentState: local as never }, 'test')) as unknown as {
      model: string;
      conflicts: ConflictRecord[];
    };

  it('records the master writer from the server and the signed-in user as the writer of the local value', async () => {
    const log = new ConflictProvenanceLog();
    log.record('devices', [master], provenance);
    const merged = await resolve(mergeConflictHandler('devices', undefined, { provenance: log, author: { id: ALEX, name: 'Alex Roe' } }));
    expect(merged.model).toBe('M404dn');
    expect(merged.conflicts).toEqual([
      expect.objectContaining({
        path: 'model',
        keptValue: 'M404dn',
        otherValue: 'M406',
        kept: { by: DANA, byKind: 'user', byName: 'Dana Kim', at: T_MASTER, serverAt: T_SERVER },
        other: { by: ALEX, byKind: 'user', byName: 'Alex Roe', at: T_LOCAL },
      }),
    ]);
  });

  it('still records both device times when it knows no writer', async () => {
    const merged = await resolve(mergeConflictHandler('devices'));
    expect(merged.conflicts[0]?.kept).toEqual({ at: T_MASTER });
    expect(merged.conflicts[0]?.other).toEqual({ at: T_LOCAL });
  });
});
