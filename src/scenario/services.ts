/**
 * Services: derives `bind` from `families` (and back), rejects a port declared twice on a family, and
 * expands ranges to one service per port. Duplicates are found range against range, so a long list of
 * overlapping ranges costs a binary search each, not a pass over every port of every item.
 */
import { ipVersion } from '../model/ip.ts';
import type { Family, Protocol } from '../model/observation.ts';
import type { IssueList } from '../source/issues.ts';
import { parsePortRange, parsePortRef, type PortRange } from '../model/ports.ts';
import { RangeSet } from '../model/range-set.ts';
import type { ServiceInput } from './schema.ts';
import type { ServiceSpec } from '../model/scenario.ts';

interface ResolvedService {
  protocol: Protocol;
  range: PortRange;
  families: Family[];
  bind: string;
}

const BIND_FAMILIES: Record<string, Family[]> = {
  any: ['ipv4', 'ipv6'],
  any4: ['ipv4'],
  any6: ['ipv6'],
};

/** @param at - Where the list is in the file. @default ['services'] */
export function normaliseServices(inputs: readonly ServiceInput[], issues: IssueList, at: (string | number)[] = ['services']): ServiceSpec[] {
  const out: ServiceSpec[] = [];
  const declared = new Map<string, RangeSet>();
  const accepted: (ResolvedService & { index: number })[] = [];
  const setOf = (protocol: Protocol, family: Family) => {
    const key = `${protocol}/${family}`;
    const set = declared.get(key) ?? new RangeSet();
    declared.set(key, set);
    return set;
  };
  inputs.forEach((input, index) => {
    const service = resolveService(input, index, issues, at);
    if (!service) return;
    // The lowest port of this service some earlier service already has on a shared family.
    const clashes = service.families.map((f) => setOf(service.protocol, f).firstOverlap(service.range)?.from);
    const port = Math.min(...clashes.map((p) => p ?? Infinity));
    if (port !== Infinity) {
      const clash = accepted.find((e) => e.protocol === service.protocol && e.range.from <= port && port <= e.range.to && e.families.some((f) => service.families.includes(f)))!;
      const families = overlap(clash.families, service.families);
      issues.add(
        [...at, index],
        `expected each port/protocol/family once, found ${port}/${service.protocol} on ${families} ` + `already declared by services[${clash.index}]: remove one, or give them disjoint families`,
      );
      return;
    }
    for (const family of service.families) setOf(service.protocol, family).add(service.range);
    accepted.push({ ...service, index });
    const { protocol, bind } = service;
    for (let port = service.range.from; port <= service.range.to; port++) out.push({ protocol, port, bind });
  });
  return out;
}

function resolveService(input: ServiceInput, index: number, issues: IssueList, at: (string | number)[]): ResolvedService | null {
  if (typeof input === 'string') {
    const ref = parsePortRef(input);
    return { protocol: ref.protocol, range: ref, families: ['ipv4', 'ipv6'], bind: 'any' };
  }
  const range = parsePortRange(input.port);
  const families = input.families ? [...new Set(input.families)] : undefined;
  if (input.bind === undefined) {
    const fams = families ?? ['ipv4', 'ipv6'];
    return { protocol: input.protocol, range, families: fams, bind: bindFor(fams) };
  }
  const bindFamilies = familiesOfBind(input.bind);
  if (!bindFamilies) {
    issues.add([...at, index, 'bind'], `expected any, any4, any6 or an IP address, found ${JSON.stringify(input.bind)}`);
    return null;
  }
  if (families && !sameFamilies(families, bindFamilies)) {
    issues.add(
      [...at, index, 'bind'],
      `expected a bind address serving families [${families.join(', ')}], found ${JSON.stringify(input.bind)} ` +
        `which serves [${bindFamilies.join(', ')}]: make families and bind agree, or drop one of them`,
    );
    return null;
  }
  return { protocol: input.protocol, range, families: bindFamilies, bind: input.bind };
}

function bindFor(families: readonly Family[]): string {
  if (families.includes('ipv4') && families.includes('ipv6')) return 'any';
  return families.includes('ipv4') ? 'any4' : 'any6';
}

function familiesOfBind(bind: string): Family[] | null {
  const known = BIND_FAMILIES[bind];
  if (known) return known;
  const version = ipVersion(bind);
  if (version === 4) return ['ipv4'];
  if (version === 6) return ['ipv6'];
  return null;
}

function sameFamilies(a: readonly Family[], b: readonly Family[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

function overlap(a: readonly Family[], b: readonly Family[]): string {
  return a.filter((f) => b.includes(f)).join(' and ');
}
