import { describe, expect, it } from 'vitest';
import type { RoomHistoryEntry } from '../../../shared/protocol/rooms';
import type { RoomView } from '../../../shared/protocol/rooms';
import { historyMark, newHistory, seatsChangingDevice } from './roomHistory';

const line = (entry: Partial<RoomHistoryEntry>): RoomHistoryEntry => ({ kind: 'joined', seat: 'B', name: 'Sam', by: null, via: null, at: 1, ...entry });

describe('seatsChangingDevice', () => {
  it('names the seats whose device changed: moved, signed out by the partner, refused', () => {
    expect(seatsChangingDevice([line({ kind: 'moved' })])).toEqual(new Set(['B']));
    expect(seatsChangingDevice([line({ kind: 'moveStarted', seat: 'A', by: 'B' })])).toEqual(new Set(['A']));
    expect(seatsChangingDevice([line({ kind: 'refused', by: 'A' })])).toEqual(new Set(['B']));
  });

  it('leaves out a first join and a move asked from the seat itself, which changes no device yet', () => {
    expect(seatsChangingDevice([line({ kind: 'joined', via: 'code' }), line({ kind: 'moveStarted', by: 'B' })])).toEqual(new Set());
  });
});

describe('newHistory', () => {
  const room = (history: RoomHistoryEntry[]) => ({ history }) as unknown as RoomView;
  const times = (entries: RoomHistoryEntry[]) => entries.map((entry) => entry.at);

  it('finds the lines after the mark, also when the server kept only the newest 50 and the count stayed the same', () => {
    const before = Array.from({ length: 50 }, (_, i) => line({ at: 100 + i }));
    const after = [...before.slice(1), line({ kind: 'moved', at: 200 })];
    expect(times(newHistory(room(after), historyMark(room(before))))).toEqual([200]);
  });

  it('tells lines of the same moment apart by how many of that moment were seen', () => {
    const before = [line({ at: 5 }), line({ at: 7 })];
    const after = [...before, line({ kind: 'moved', at: 7 }), line({ at: 9 })];
    expect(times(newHistory(room(after), historyMark(room(before))))).toEqual([7, 9]);
  });

  it('shows nothing before the device has a mark, and everything after an empty history', () => {
    expect(newHistory(room([line({})]), null)).toEqual([]);
    expect(times(newHistory(room([line({ at: 3 })]), historyMark(room([]))))).toEqual([3]);
  });
});
