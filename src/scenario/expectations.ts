/**
 * Expectations: expands `both` into ipv4 + ipv6 and merges everything into one `ExpectationSet` per
 * vantage × family × protocol, rejecting a port that lands in two different lists of the same set.
 * Lists are kept as ranges until `build()`, which expands each list once: a list may name "2-65535"
 * thousands of times, and expanding item by item cost minutes before anything started.
 */
import { FAMILIES, PROTOCOLS, VANTAGES, type Family, type Protocol, type Vantage } from '../model/observation.ts';
import { formatFieldPath, type FieldPath, type IssueList } from '../source/issues.ts';
import { formatRange, mergeRanges, parsePortRange, parsePortRef, type PortRange } from '../model/ports.ts';
import { RangeSet } from '../model/range-set.ts';
import type { ProtocolExpectInput, ScenarioInput } from './schema.ts';
import type { ExpectCategory, ExpectationSet } from '../model/scenario.ts';

type ListCategory = 'open' | 'closed' | 'filtered' | 'unreachable';
const LIST_CATEGORIES: readonly ListCategory[] = ['open', 'closed', 'filtered', 'unreachable'];

interface SetDraft {
  vantage: Vantage;
  family: Family;
  protocol: Protocol;
  /** The ports of each list, as ranges. */
  lists: Record<ListCategory, RangeSet>;
  /** Every accepted item in order, to name the earlier one when a later item clashes with it. */
  items: { range: PortRange; category: ListCategory; path: FieldPath }[];
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
        this.addRange('peer', family, parsed.protocol, parsed, 'open', ['expect', 'exposed', index]);
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

  /** Every port named in any list, per protocol, as merged ranges: these are always added to the scan. */
  rangesByProtocol(): Record<Protocol, PortRange[]> {
    const out: Record<Protocol, PortRange[]> = { tcp: [], udp: [] };
    for (const draft of this.drafts.values()) {
      for (const category of LIST_CATEGORIES) for (const range of draft.lists[category].toRanges()) out[draft.protocol].push(range);
    }
    return { tcp: mergeRanges(out.tcp), udp: mergeRanges(out.udp) };
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
        this.addRange(vantage, family, protocol, parsePortRange(spec), category, [...path, category, index]);
      });
    }
    if (lists.others !== undefined) this.setOthers(vantage, family, protocol, lists.others, [...path, 'others']);
  }

  /** Adds one list item, unless a port of it is already in another list of the same set (then: an issue). */
  private addRange(
    vantage: Vantage,
    family: Family,
    protocol: Protocol,
    range: PortRange,
    category: ListCategory,
    path: FieldPath,
  ): void {
    const draft = this.draft(vantage, family, protocol);
    const clash = firstClash(draft, range, category);
    if (clash) {
      this.issues.add(
        path,
        `expected ${vantage} ${family} ${protocol}/${formatRange(clash.ports)} in one list, found it ${category} here and ` +
          `${clash.category} at ${formatFieldPath(clash.path)}: keep one`,
      );
      return;
    }
    draft.lists[category].add(range);
    draft.items.push({ range, category, path });
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
      const lists = { open: new RangeSet(), closed: new RangeSet(), filtered: new RangeSet(), unreachable: new RangeSet() };
      draft = { vantage, family, protocol, lists, items: [], others: null };
      this.drafts.set(key, draft);
    }
    return draft;
  }
}

/**
 * The lowest ports of `range` already in another list, and the earliest item that put them there. Only the
 * item search is linear, and it runs only when there is a clash to report.
 */
function firstClash(draft: SetDraft, range: PortRange, category: ListCategory) {
  let lowest: { ports: PortRange; category: ListCategory } | null = null;
  for (const other of LIST_CATEGORIES) {
    if (other === category) continue;
    const overlap = draft.lists[other].firstOverlap(range);
    if (overlap && (!lowest || overlap.from < lowest.ports.from)) lowest = { ports: overlap, category: other };
  }
  if (!lowest) return null;
  const port = lowest.ports.from;
  const earlier = draft.items.find((i) => i.category === lowest.category && i.range.from <= port && port <= i.range.to)!;
  const ports = { from: port, to: Math.min(lowest.ports.to, earlier.range.to) };
  return { ports, category: earlier.category, path: earlier.path };
}

function toExpectationSet(draft: SetDraft): ExpectationSet {
  return {
    vantage: draft.vantage,
    family: draft.family,
    protocol: draft.protocol,
    open: draft.lists.open.toPorts(),
    closed: draft.lists.closed.toPorts(),
    filtered: draft.lists.filtered.toPorts(),
    unreachable: draft.lists.unreachable.toPorts(),
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
