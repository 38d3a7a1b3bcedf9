import { describe, expect, it } from 'vitest';
import { PackedPairs, packPairs } from '../../../electron/backend/preview/protocol.ts';

describe('PackedPairs', () => {
  it('answers as a Map built from the same pairs: prefixes, non-ASCII, repeated keys and absent ones', () => {
    const pairs: Array<[string, string]> = [
      ['ab', '{id:ab@contoso.com}'],
      ['abc', 'target-abc'],
      ['', 'empty key'],
      ['é-ü', '{id:zoë@contoso.com}'],
      ['ab', 'last wins'],
    ];
    for (let i = 0; i < 5000; i++) pairs.push([`00000000-0000-0000-0000-${String(i).padStart(12, '0')}`, `t${i}`]);
    const packed = new PackedPairs(packPairs(pairs));
    const map = new Map(pairs);
    expect(packed.size).toBe(map.size);
    for (const key of [...map.keys(), 'a', 'abcd', 'b', 'é', '00000000-0000-0000-0000-000000005000']) expect(packed.get(key)).toBe(map.get(key));
  });

  it('holds nothing when no user is provisioned', () => {
    const packed = new PackedPairs('');
    expect(packed.size).toBe(0);
    expect(packed.get('anyone')).toBeUndefined();
  });
});
