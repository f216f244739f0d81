import { describe, expect, test } from 'vitest';
import { InternalError } from '../../model/errors.ts';
import { PortBits } from './port-bits.ts';

describe('PortBits', () => {
  test('holds ports once each, answers membership, and lists them ascending', () => {
    const bits = PortBits.of([443, 22, 22, 65535, 1]);
    expect(bits.size).toBe(4);
    expect([...bits]).toEqual([1, 22, 443, 65535]);
    expect(bits.toArray()).toEqual([1, 22, 443, 65535]);
    expect(bits.has(22)).toBe(true);
    expect(bits.has(23)).toBe(false);
    // Never a port, never held: no out-of-range read answers yes.
    for (const value of [0, -1, 65536, 22.5, Number.NaN]) expect(bits.has(value)).toBe(false);
    expect([...new PortBits()]).toEqual([]);
  });
  test('refuses a value that is not a port', () => {
    for (const value of [0, 65536, 22.5, Number.NaN]) expect(() => PortBits.of([value])).toThrow(InternalError);
  });
});
