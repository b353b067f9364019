import { describe, expect, it } from 'vitest';
import type { RoomHistoryEntry } from '../../../shared/protocol/rooms';
import { seatsChangingDevice } from './roomHistory';

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
