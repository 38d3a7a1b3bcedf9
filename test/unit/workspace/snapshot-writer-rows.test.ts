import { describe, expect, it } from 'vitest';
import { toSourceSnapshotUsers } from '../../../electron/backend/directory/snapshot.ts';
import { snapshotUserColumns } from '../../../electron/backend/workspace/snapshot-rows.ts';
import { packRows, unpackRows, type PackedRows } from '../../../electron/backend/workspace/snapshot-writer-thread.ts';
import type { GraphUser } from '../../../shared/directory/graph-to-source.ts';
import { demoGraphData } from '../../support/fake-graph/demo-data.ts';

/** As postMessage hands a batch to the writer thread: a structured clone, the typed arrays' buffers transferred. */
const crossed = (packed: PackedRows): PackedRows =>
  structuredClone(packed, { transfer: [packed.cells.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer] });

describe("a page of users' column values handed to the writer thread", () => {
  it('arrives as the very values snapshotUserColumns gave: strings, numbers and NULLs in their places', () => {
    const users = demoGraphData(60).users as GraphUser[];
    // values the demo tenant lacks: no mail and no department (NULL), text beyond Latin-1, an empty string, no accountEnabled
    const odd: GraphUser[] = [
      { ...users[0]!, id: 'a1', mail: null, department: null, displayName: 'Zoë 山田 🙂' } as GraphUser,
      { ...users[1]!, id: 'a2', displayName: '', accountEnabled: undefined } as unknown as GraphUser,
    ];
    const rows = toSourceSnapshotUsers([...users, ...odd]).map((user, i) => snapshotUserColumns(user, i));
    expect(rows.flat()).toContain(null);

    const received = unpackRows(crossed(packRows(rows)));

    expect(received).toEqual(rows);
    expect(received.map((row) => row.map((value) => typeof value))).toEqual(rows.map((row) => row.map((value) => typeof value)));
  });

  it('hands over an empty page, and refuses rows of different widths instead of shifting values between columns', () => {
    expect(unpackRows(crossed(packRows([])))).toEqual([]);
    expect(() => packRows([['a', 1], ['b']])).toThrow('A user\'s row has 1 values where the others have 2.');
  });
});
