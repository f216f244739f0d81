import { describe, expect, it } from 'vitest';
import { PortSpecError } from './errors.ts';
import { formatPortSpec, parsePortSpec, sortedUniquePorts } from './ports.ts';

describe('parsePortSpec', () => {
  it('expands numbers and ranges, sorted and deduplicated', () => {
    expect(parsePortSpec('22,53,80-82')).toEqual([22, 53, 80, 81, 82]);
    expect(parsePortSpec('82, 80-81 ,22,22,81')).toEqual([22, 80, 81, 82]);
    expect(parsePortSpec('1,65535')).toEqual([1, 65535]);
    // One port range for users and nmap lists alike: fwprobe never scans port 0.
    expect(() => parsePortSpec('0,22')).toThrow(/0 is not a port/);
    expect(parsePortSpec('7-7')).toEqual([7]);
  });

  it('reads the extrareasons ports attribute nmap 7.93 writes', () => {
    const ports = parsePortSpec('1-21,23-52,54-200');
    expect(ports).toHaveLength(198);
    expect(ports).not.toContain(22);
    expect(ports).not.toContain(53);
    expect(ports.at(0)).toBe(1);
    expect(ports.at(-1)).toBe(200);
  });

  it('sorts and deduplicates a long list out of order (the bitmap path) as a short one', () => {
    expect(parsePortSpec('100-65535,1-99,50-60')).toEqual(Array.from({ length: 65535 }, (_, i) => i + 1));
    expect(parsePortSpec('5,3-4,4,1')).toEqual([1, 3, 4, 5]);
  });

  it.each([
    ['', 'it is empty'],
    ['  ', 'it is empty'],
    ['22,', '"" is not a port number'],
    ['ssh', '"ssh" is not a port number'],
    ['T:22', '"T:22" is not a port number'],
    ['-100', '"-100" is not a port number'],
    ['22-', '"22-" is not a port number'],
    ['1.5', '"1.5" is not a port number'],
    ['70000', '70000 is not a port'],
    ['1-65536', '65536 is not a port'],
    ['90-80', 'range "90-80" is reversed (write 80-90)'],
  ])('rejects %j: %s', (spec, problem) => {
    const error = catchError(() => parsePortSpec(spec));
    expect(error).toBeInstanceOf(PortSpecError);
    expect(error).toMatchObject({ code: 'PORT_SPEC_INVALID', spec });
    expect((error as Error).message).toContain(`invalid port list "${spec}": ${problem}`);
  });
});

describe('formatPortSpec', () => {
  it('compresses runs, sorts and deduplicates', () => {
    expect(formatPortSpec([82, 22, 80, 81, 53])).toBe('22,53,80-82');
    expect(formatPortSpec([80, 81])).toBe('80-81');
    expect(formatPortSpec([443, 22, 22])).toBe('22,443');
    expect(formatPortSpec([1])).toBe('1');
    const long = [...Array.from({ length: 200 }, (_, i) => 400 - i), 1, 1, 65535];
    expect(formatPortSpec(long)).toBe('1,201-400,65535');
  });

  it('round-trips with parsePortSpec', () => {
    const spec = '1-21,23-52,54-200,443,8000-8002';
    expect(formatPortSpec(parsePortSpec(spec))).toBe(spec);
  });

  it.each([
    [[], 'the port list is empty'],
    [[22, 70000], '70000 is not a port'],
    [[-1], '-1 is not a port'],
    [[22.5], '22.5 is not a port'],
    [[Number.NaN], 'NaN is not a port'],
  ])('rejects %j', (ports, problem) => {
    const error = catchError(() => formatPortSpec(ports));
    expect(error).toBeInstanceOf(PortSpecError);
    expect((error as Error).message).toContain(problem);
  });
});

describe('sortedUniquePorts', () => {
  it('sorts and deduplicates short and long lists alike', () => {
    expect(sortedUniquePorts([443, 22, 22, 80])).toEqual([22, 80, 443]);
    const long = [65535, ...Array.from({ length: 1000 }, (_, i) => 1000 - i), 500, 1];
    expect(sortedUniquePorts(long)).toEqual([...Array.from({ length: 1000 }, (_, i) => i + 1), 65535]);
    const ascending = [1, 2, 9];
    expect(sortedUniquePorts(ascending)).toEqual([1, 2, 9]);
    expect(sortedUniquePorts(ascending)).not.toBe(ascending);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, none was thrown');
}
