/**
 * Expectations: expands `both` into ipv4 + ipv6 and merges everything into one `ExpectationSet` per
 * vantage (and host behind the target) × family × protocol, rejecting a port that lands in two different lists of the same set.
 * Lists are kept as ranges until `build()`, which expands each list once: a list may name "2-65535"
 * thousands of times, and expanding item by item cost minutes before anything started.
 */
import { compareViews, FAMILIES, LOOPBACK, PROTOCOLS, viewLabel, type Family, type Protocol, type Vantage, type View } from '../model/observation.ts';
import { formatFieldPath, type FieldPath, type IssueList } from '../source/issues.ts';
import { formatRange, mergeRanges, parsePortRange, parsePortRef, type PortRange } from '../model/ports.ts';
import { RangeSet } from '../model/range-set.ts';
import type { HostExpectInput, ProtocolExpectInput, ScenarioInput, VantageExpectInput } from './schema.ts';
import { LISTED_CATEGORIES, type ExpectCategory, type ExpectationSet, type ListedCategory } from '../model/scenario.ts';

type ListCategory = ListedCategory;
const LIST_CATEGORIES: readonly ListCategory[] = LISTED_CATEGORIES;

interface SetDraft {
  vantage: Vantage;
  host?: string;
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
  private readonly exposedViews: { view: View; path: FieldPath }[] = [];

  constructor(private readonly issues: IssueList) {}

  /**
   * Adds `expect.<vantage>` (loopback or a peer) with `both` expanded, its `exposed`, and its `behind.<host>`
   * expectations for hosts behind the target.
   */
  addVantageInputs(
    expect: ExpectInput,
    vantages: readonly Vantage[],
    behind: readonly string[],
    /** Whether the vantage scans the host at all: a peer on the host's own network does not (it is not behind the target from there). */
    scans: (vantage: Vantage, host: string) => boolean = () => true,
  ): void {
    for (const [vantage, byFamily] of Object.entries(expect)) {
      if (vantage === 'exposed' || byFamily === undefined || Array.isArray(byFamily)) continue;
      const view = byFamily as VantageExpectInput;
      if (!vantages.includes(vantage)) {
        this.issues.add(
          ['expect', vantage],
          `expected expectations only for scanned vantages [${vantages.join(', ')}], found expectations for ` +
            `${vantage}, whose ports are never scanned: add ${vantage} to vantages (or to peers), or remove expect.${vantage}`,
        );
        continue;
      }
      this.addHostInput({ vantage }, view, ['expect', vantage]);
      for (const [host, hostInput] of Object.entries(view.behind ?? {})) {
        const path = ['expect', vantage, 'behind', host];
        if (vantage === LOOPBACK || !behind.includes(host)) {
          this.issues.add(
            path,
            vantage === LOOPBACK
              ? 'expected behind-host expectations under a peer: the loopback vantage scans only the target itself'
              : `expected a host declared under behind [${behind.join(', ')}], found ${host}`,
          );
          continue;
        }
        if (!scans(vantage, host)) {
          // An `others` line here would be judged against no observation at all: a pass that checked nothing.
          this.issues.add(path, `expected expectations for ${host} only under peers that reach it through the target, found ${vantage}, which is on ${host}'s own network and never scans it`);
          continue;
        }
        this.addHostInput({ vantage, host }, hostInput, path);
      }
    }
  }

  /** `exposed` for all peers: open from every peer on both families; every other target port not open. */
  addExposedPorts(exposed: readonly string[] | undefined, vantages: readonly Vantage[]): void {
    // `exposed: []` says "nothing exposed": every scanned port not open. It is an expectation, never a no-op.
    if (exposed === undefined) return;
    const peers = vantages.filter((v) => v !== LOOPBACK);
    if (peers.length === 0) {
      this.issues.add(
        ['expect', 'exposed'],
        `expected a peer among the vantages (exposed means "open from the peers"), found [${vantages.join(', ')}]: ` + 'add a peer to vantages, or write the expectation under expect.loopback',
      );
      return;
    }
    for (const vantage of peers) this.addExposed({ vantage }, exposed, ['expect', 'exposed']);
  }

  private addHostInput(view: View, input: HostExpectInput, path: FieldPath): void {
    for (const key of ['ipv4', 'ipv6', 'both'] as const) {
      const families: readonly Family[] = key === 'both' ? FAMILIES : [key];
      for (const protocol of PROTOCOLS) {
        const lists = input[key]?.[protocol];
        if (!lists) continue;
        if (protocol === 'tcp' && lists.delivered !== undefined) {
          // A TCP port completes the handshake (open) or not: "received, never answered" has no TCP form.
          this.issues.add(
            [...path, key, protocol, 'delivered'],
            'expected delivered only under udp (a datagram the listener receives, never answered), found it under tcp: ' +
              'a TCP port whose answer is dropped reads filtered, one that answers reads open; list the port as filtered or open, or move it to udp.delivered',
          );
          continue;
        }
        for (const family of families) this.addLists(view, family, protocol, lists, [...path, key, protocol]);
      }
    }
    if (input.exposed !== undefined) {
      if (view.vantage === LOOPBACK) this.issues.add([...path, 'exposed'], 'expected exposed under a peer: it means "open from that peer"; write loopback expectations as lists');
      else this.addExposed(view, input.exposed, [...path, 'exposed']);
    }
  }

  private addExposed(view: View, exposed: readonly string[], path: FieldPath): void {
    exposed.forEach((ref, index) => {
      const parsed = parsePortRef(ref);
      for (const family of FAMILIES) this.addRange(view, family, parsed.protocol, parsed, 'open', [...path, index]);
    });
    this.exposedViews.push({ view, path });
  }

  /** For `exposed`: every other port of each scanned protocol of that view is expected not open. */
  addExposedOthers(scannedProtocols: (host: string | undefined) => readonly Protocol[]): void {
    for (const { view, path } of this.exposedViews) {
      for (const family of FAMILIES) {
        for (const protocol of scannedProtocols(view.host)) {
          const draft = this.draft(view, family, protocol);
          draft.others ??= { value: 'not-open', path };
        }
      }
    }
  }

  /** Every port named in any list for one host (the target: undefined), per protocol, as merged ranges. */
  rangesByProtocol(host?: string): Record<Protocol, PortRange[]> {
    const out: Record<Protocol, PortRange[]> = { tcp: [], udp: [] };
    for (const draft of this.drafts.values()) {
      if (draft.host !== host) continue;
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

  private addLists(view: View, family: Family, protocol: Protocol, lists: ProtocolExpectInput, path: FieldPath): void {
    for (const category of LIST_CATEGORIES) {
      (lists[category] ?? []).forEach((spec, index) => {
        this.addRange(view, family, protocol, parsePortRange(spec), category, [...path, category, index]);
      });
    }
    if (lists.others !== undefined) this.setOthers(view, family, protocol, lists.others, [...path, 'others']);
  }

  /** Adds one list item, unless a port of it is already in another list of the same set (then: an issue). */
  private addRange(view: View, family: Family, protocol: Protocol, range: PortRange, category: ListCategory, path: FieldPath): void {
    const draft = this.draft(view, family, protocol);
    const clash = firstClash(draft, range, category);
    if (clash) {
      this.issues.add(
        path,
        `expected ${viewLabel(view)} ${family} ${protocol}/${formatRange(clash.ports)} in one list, found it ${category} here and ` + `${clash.category} at ${formatFieldPath(clash.path)}: keep one`,
      );
      return;
    }
    draft.lists[category].add(range);
    draft.items.push({ range, category, path });
  }

  private setOthers(view: View, family: Family, protocol: Protocol, value: ExpectCategory, path: FieldPath) {
    const draft = this.draft(view, family, protocol);
    if (draft.others && draft.others.value !== value) {
      this.issues.add(
        path,
        `expected one "others" for ${viewLabel(view)} ${family} ${protocol}, found ${value} here and ` + `${draft.others.value} at ${formatFieldPath(draft.others.path)}: keep one`,
      );
      return;
    }
    draft.others ??= { value, path };
  }

  private draft(view: View, family: Family, protocol: Protocol): SetDraft {
    const { vantage, host } = view;
    const key = `${viewLabel(view)}/${family}/${protocol}`;
    let draft = this.drafts.get(key);
    if (!draft) {
      const lists = { open: new RangeSet(), closed: new RangeSet(), filtered: new RangeSet(), unreachable: new RangeSet(), delivered: new RangeSet() };
      draft = { vantage, ...(host ? { host } : {}), family, protocol, lists, items: [], others: null };
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
    ...(draft.host ? { host: draft.host } : {}),
    family: draft.family,
    protocol: draft.protocol,
    open: draft.lists.open.toPorts(),
    closed: draft.lists.closed.toPorts(),
    filtered: draft.lists.filtered.toPorts(),
    unreachable: draft.lists.unreachable.toPorts(),
    ...(draft.lists.delivered.toRanges().length === 0 ? {} : { delivered: draft.lists.delivered.toPorts() }),
    others: draft.others?.value ?? null,
  };
}

function compareDrafts(a: SetDraft, b: SetDraft): number {
  return compareViews(a, b) || FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol);
}
