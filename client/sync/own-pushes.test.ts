import { describe, expect, it } from 'vitest';
import { ancestorsOf, answerToPushOn, isOwnPushedState, ownBaseIn } from './own-pushes.ts';

const base = { id: 'd1', notes: 'original', assignee: 'Dana', model: 'M1', _deleted: false };

describe('own pushes', () => {
  it('knows a master that is exactly one of its pushed states, whatever RxDB bookkeeping it carries', () => {
    const pushed = [{ ...base, notes: 'first' }];
    expect(isOwnPushedState(pushed, { ...base, notes: 'first', _rev: '3-x', _meta: { lwt: 1 } })).toBe(true);
    expect(isOwnPushedState(pushed, { ...base, notes: 'someone else' })).toBe(false);
    expect(isOwnPushedState(undefined, base)).toBe(false);
  });

  it('takes as base, field by field, the values of its own pushes the master holds, and the row base elsewhere', () => {
    const pushed = [{ ...base, notes: 'first' }];
    // The first push reached the server (its answer lost); someone else then changed the assignee.
    const master = { ...base, notes: 'first', assignee: 'Alex' };
    expect(ownBaseIn(pushed, base, master)).toEqual({ ...base, notes: 'first' });
  });

  it('finds no better base when the master holds none of its pushed values', () => {
    expect(ownBaseIn([{ ...base, notes: 'first' }], base, { ...base, notes: 'other', assignee: 'Alex' })).toBeUndefined();
    expect(ownBaseIn([], base, base)).toBeUndefined();
    expect(ownBaseIn([{ ...base, notes: 'first' }], undefined, base)).toBeUndefined();
  });

  it('treats an optional field its push removed, and the master lacks, as its own', () => {
    const { model: _removed, ...withoutModel } = base;
    expect(ownBaseIn([withoutModel], base, { ...withoutModel, assignee: 'Alex' })).toEqual(withoutModel);
  });

  it('takes as possible ancestors of a state only what was pushed before it was first pushed', () => {
    const older = { ...base, notes: 'older' };
    const newer = { ...base, notes: 'newer' };
    // A stopped replication retries `older` after the next one pushed `newer`: newer is no ancestor.
    expect(ancestorsOf([older, newer], { ...older, _rev: '2-a' })).toEqual([]);
    expect(ancestorsOf([older, newer], { ...base, notes: 'newest' })).toEqual([older, newer]);
  });

  it('pushes a merge on the master it was merged with when the replication stopped before storing that base', () => {
    const master = { ...base, assignee: 'Alex', updatedAt: 'T2' };
    const answered = { on: base, master };
    // The merge holds the master's assignee and this replica's notes; its stored base is still the old one.
    const merged = { ...base, assignee: 'Alex', notes: 'mine', updatedAt: 'T3' };
    expect(answerToPushOn(answered, { newDocumentState: merged, assumedMasterState: { ...base, _rev: '4-x' } })).toEqual(master);
  });

  it('keeps the row base when the row lacks a change of the answer, or went out on another base', () => {
    const master = { ...base, assignee: 'Alex' };
    const answered = { on: base, master };
    // Not merged with that answer: pushing it on the answer would overwrite the assignee.
    expect(answerToPushOn(answered, { newDocumentState: { ...base, notes: 'mine' }, assumedMasterState: base })).toBeUndefined();
    expect(answerToPushOn(answered, { newDocumentState: { ...master, notes: 'mine' }, assumedMasterState: { ...base, model: 'M2' } })).toBeUndefined();
    expect(answerToPushOn(undefined, { newDocumentState: master, assumedMasterState: base })).toBeUndefined();
  });

  it('pushes a merge on its answer when the answer holds an own push whose answer was lost and the merge a later own value', () => {
    const ownEarlier = { ...base, model: 'M2' };
    // The answer: this replica's lost push of M2, and someone else's assignee.
    const master = { ...base, model: 'M2', assignee: 'Alex' };
    const merged = { ...base, model: 'M3', assignee: 'Alex' };
    expect(answerToPushOn({ on: base, master }, { newDocumentState: merged, assumedMasterState: base }, [ownEarlier])).toEqual(master);
    // Without knowing M2 was its own, M3 looks like a change of the master's it lacks.
    expect(answerToPushOn({ on: base, master }, { newDocumentState: merged, assumedMasterState: base })).toBeUndefined();
  });
});
