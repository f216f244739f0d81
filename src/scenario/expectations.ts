/**
 * Expectations: expands `both` into ipv4 + ipv6 and merges everything into one `ExpectationSet` per
 * vantage × family × protocol, rejecting a port that lands in two different lists of the same set.
 */
import { FAMILIES, PROTOCOLS, VANTAGES, type Family, type Protocol, type Vantage } from '../model/observation.ts';
import { formatFieldPath, type FieldPath, type IssueList } from '../source/issues.ts';
import { expandRange, parsePortRange, parsePortRef, sortedUnique } from '../model/ports.ts';
import type { ProtocolExpectInput, ScenarioInput } from './schema.ts';
import type { ExpectCategory, ExpectationSet } from '../model/scenario.ts';

type ListCategory = 'open' | 'closed' | 'filtered' | 'unreachable';
const LIST_CATEGORIES: readonly ListCategory[] = ['open', 'closed', 'filtered', 'unreachable'];

interface SetDraft {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  ports: Map<number, { category: ListCategory; path: FieldPath }>;
  others: { value: ExpectCategory; path: FieldPath } | null;
}

type ExpectInput = NonNullable<ScenarioInput['expect']>;

/** Collects expectation sets; `build()` returns them sorted by vantage, family, protocol. */
export class ExpectationDrafts {
  private readonly drafts = new Map<string, SetDraft>();

  constructor(private readonly issues: IssueList) {}

  /** Adds `expect.loopback` / `expect.peer`, with `both` expanded. */
  addVantageInputs(expect: ExpectInput, vantages: readonly Vantage[]): void {
    for (const vantage of VANTAGES) {
      const byFamily = expect[vantage];
      if (!byFamily) continue;
      if (!vantages.includes(vantage)) {
        this.issues.add(
          ['expect', vantage],
          `expected expectations only for scanned vantages [${vantages.join(', ')}], found expectations for ` +
            `${vantage}, whose ports are never scanned: add ${vantage} to vantages or remove expect.${vantage}`,
        );
        continue;
      }
      for (const key of ['ipv4', 'ipv6', 'both'] as const) {
        const families: readonly Family[] = key === 'both' ? FAMILIES : [key];
        for (const protocol of PROTOCOLS) {
          const lists = byFamily[key]?.[protocol];
          if (!lists) continue;
          const path = ['expect', vantage, key, protocol];
          for (const family of families) this.addLists(vantage, family, protocol, lists, path);
        }
      }
    }
  }

  /** Adds `exposed` ports as open from the peer on both families. */
  addExposedPorts(exposed: readonly string[], vantages: readonly Vantage[]): void {
    if (exposed.length === 0) return;
    if (!vantages.includes('peer')) {
      this.issues.add(
        ['expect', 'exposed'],
        `expected vantages to include peer (exposed means "open from the peer"), found [${vantages.join(', ')}]: ` +
          'add peer to vantages, or write the expectation under expect.loopback',
      );
      return;
    }
    exposed.forEach((ref, index) => {
      const parsed = parsePortRef(ref);
      for (const family of FAMILIES) {
        for (const port of expandRange(parsed)) {
          this.addPort('peer', family, parsed.protocol, port, 'open', ['expect', 'exposed', index]);
        }
      }
    });
  }

  /** For `exposed`: every other peer port of each scanned protocol is expected not open. */
  addExposedOthers(scannedProtocols: readonly Protocol[]): void {
    for (const family of FAMILIES) {
      for (const protocol of scannedProtocols) {
        const draft = this.draft('peer', family, protocol);
        draft.others ??= { value: 'not-open', path: ['expect', 'exposed'] };
      }
    }
  }

  /** Every port named in any list, per protocol: these are always added to the scan. */
  portsByProtocol(): Record<Protocol, number[]> {
    const out: Record<Protocol, number[]> = { tcp: [], udp: [] };
    for (const draft of this.drafts.values()) out[draft.protocol].push(...draft.ports.keys());
    return { tcp: sortedUnique(out.tcp), udp: sortedUnique(out.udp) };
  }

  /** Flags an `others` default on a protocol where no port is scanned: it would check nothing. */
  checkOthersAreScanned(scannedProtocols: readonly Protocol[]): void {
    for (const draft of this.drafts.values()) {
      if (draft.others && !scannedProtocols.includes(draft.protocol)) {
        this.issues.add(
          draft.others.path,
          `expected ${draft.protocol} ports to be scanned for "others" to check, found no ${draft.protocol} port ` +
            `in services, ports or expectations: add ports.${draft.protocol}, or remove this line`,
        );
      }
    }
  }

  build(): ExpectationSet[] {
    return [...this.drafts.values()].sort(compareDrafts).map(toExpectationSet);
  }

  private addLists(
    vantage: Vantage,
    family: Family,
    protocol: Protocol,
    lists: ProtocolExpectInput,
    path: FieldPath,
  ): void {
    for (const category of LIST_CATEGORIES) {
      (lists[category] ?? []).forEach((spec, index) => {
        for (const port of expandRange(parsePortRange(spec))) {
          this.addPort(vantage, family, protocol, port, category, [...path, category, index]);
        }
      });
    }
    if (lists.others !== undefined) this.setOthers(vantage, family, protocol, lists.others, [...path, 'others']);
  }

  private addPort(
    vantage: Vantage,
    family: Family,
    protocol: Protocol,
    port: number,
    category: ListCategory,
    path: FieldPath,
  ): void {
    const draft = this.draft(vantage, family, protocol);
    const earlier = draft.ports.get(port);
    if (earlier && earlier.category !== category) {
      this.issues.add(
        path,
        `expected ${vantage} ${family} ${protocol}/${port} in one list, found it ${category} here and ` +
          `${earlier.category} at ${formatFieldPath(earlier.path)}: keep one`,
      );
      return;
    }
    if (!earlier) draft.ports.set(port, { category, path });
  }

  private setOthers(vantage: Vantage, family: Family, protocol: Protocol, value: ExpectCategory, path: FieldPath) {
    const draft = this.draft(vantage, family, protocol);
    if (draft.others && draft.others.value !== value) {
      this.issues.add(
        path,
        `expected one "others" for ${vantage} ${family} ${protocol}, found ${value} here and ` +
          `${draft.others.value} at ${formatFieldPath(draft.others.path)}: keep one`,
      );
      return;
    }
    draft.others ??= { value, path };
  }

  private draft(vantage: Vantage, family: Family, protocol: Protocol): SetDraft {
    const key = `${vantage}/${family}/${protocol}`;
    let draft = this.drafts.get(key);
    if (!draft) {
      draft = { vantage, family, protocol, ports: new Map(), others: null };
      this.drafts.set(key, draft);
    }
    return draft;
  }
}

function toExpectationSet(draft: SetDraft): ExpectationSet {
  const listOf = (category: ListCategory) =>
    sortedUnique([...draft.ports].filter(([, entry]) => entry.category === category).map(([port]) => port));
  return {
    vantage: draft.vantage,
    family: draft.family,
    protocol: draft.protocol,
    open: listOf('open'),
    closed: listOf('closed'),
    filtered: listOf('filtered'),
    unreachable: listOf('unreachable'),
    others: draft.others?.value ?? null,
  };
}

function compareDrafts(a: SetDraft, b: SetDraft): number {
  return (
    VANTAGES.indexOf(a.vantage) - VANTAGES.indexOf(b.vantage) ||
    FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) ||
    PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol)
  );
}
