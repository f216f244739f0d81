/**
 * Why a port reads as it does: the rule or chain policy that gave the first packet of a traced client its
 * final verdict, the chains it went through to get there, and the user's file and line that produced it.
 * Part of the results.json contract (`observations[].attribution`): add fields, never rename.
 */
import { printable } from './printable.ts';

/** The user's text that produced a rule or a policy. */
export interface AttributionSource {
  /** The file as the user names it (a restore file, a script, or a generated ruleset with its origin). */
  file: string;
  /** 1-based line in that file; absent where fwprobe cannot tell the line (a script's rules). */
  line?: number;
  /** What the line is, where it is not the file's own text: a policy field or preset step (`inbound[0]`). */
  origin?: string;
}

export interface Attribution {
  /** `iptables` or `ip6tables`, or `nft` for a table the iptables tools do not own. */
  tool?: string;
  /** For `tool: nft`, the table's family (`inet`, `ip`, `ip6`, `netdev`…): with `table`, how nft names it. */
  family?: string;
  /** The table whose chain decided (`filter`, `raw`, `nat`, …). */
  table?: string;
  /** The chain whose rule or policy decided. */
  chain?: string;
  /** ACCEPT, DROP, REJECT, … as the rule's target or the policy says. */
  verdict?: string;
  /** The deciding rule as the kernel prints it back (`-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT`). */
  rule?: string;
  /** For `tool: nft`, the deciding rule's handle in the lab's ruleset (`nft -a list ruleset` shows it). */
  handle?: number;
  /** The chain's policy, when no rule decided. */
  policy?: string;
  /** The chains from the base chain to the deciding one (`INPUT → ufw-before-input → ufw-user-input`). */
  path: string[];
  /** Which packet decided: the client's first packet, or the target's reply (dropped on its way out). */
  packet?: 'first' | 'reply';
  /** The traced client: `10.213.0.3:47100 → 10.213.0.2:22`. */
  probe?: string;
  source?: AttributionSource;
  /** Something the reader needs besides the rule (`ip6tables INPUT has no rules`). */
  note?: string;
  /** Set when nothing could be attributed, and why; then no other field is a claim. */
  undecided?: string;
  /**
   * When the reply decided (`packet: 'reply'`): the rule or policy that accepted the client's first packet on
   * its way in. A `delivered` port is explained by both: let in here, its answer dropped by the rule above.
   */
  admittedBy?: Attribution;
}

/**
 * One line, for mismatch messages and the table's footnotes: `policy ACCEPT of ip6tables INPUT (no rules)`,
 * `nft inet filter input: policy drop`;
 * a reply dropped after its packet was let in names both (`policy DROP, iptables OUTPUT (on the reply);
 * admitted by policy ACCEPT, iptables INPUT`).
 */
export function attributionText(a: Attribution): string {
  if (a.undecided !== undefined) return `undecided: ${printable(a.undecided)}`;
  const where = a.tool === 'nft' ? ['nft', a.family, a.table].filter(Boolean).join(' ') : [a.tool, a.table && a.table !== 'filter' ? `-t ${a.table}` : ''].filter(Boolean).join(' ');
  const chains = a.path.length > 1 ? a.path.join(' → ') : (a.chain ?? '?');
  // iptables-save's text names its chain (`-A INPUT …`); nft's rule text does not.
  const path = a.path.length > 1 || a.tool === 'nft' ? `${chains}: ` : '';
  // nft speaks of its table and chain first, and writes policies and handles as `nft -a list` does.
  const nftPolicy = a.tool === 'nft' && a.rule === undefined && a.policy !== undefined;
  const handle = a.tool === 'nft' && a.rule !== undefined && a.handle !== undefined ? ` (handle ${a.handle})` : '';
  const what = nftPolicy
    ? `${where} ${chains}: policy ${a.policy!.toLowerCase()}`
    : a.rule !== undefined
      ? `${where ? `${where} ` : ''}${path}${a.rule}${handle}`
      : a.policy === undefined
        ? `a rule (${a.verdict ?? '?'}), ${where ? `${where} ` : ''}${chains}`
        : `policy ${a.policy ?? a.verdict ?? '?'}, ${where ? `${where} ` : ''}${a.path.length > 1 ? a.path.join(' → ') : (a.chain ?? '?')}`;
  const reply = a.packet === 'reply' ? ' (on the reply)' : '';
  const note = a.note ? `, ${a.note}` : '';
  const at = a.source ? ` [${sourceText(a.source)}]` : '';
  // The inner text is printable already; only the outer one is escaped here.
  const admitted = a.admittedBy && a.admittedBy.undecided === undefined ? `; admitted by ${attributionText(a.admittedBy)}` : '';
  return `${printable(`${what}${reply}${note}${at}`)}${admitted}`;
}

export function sourceText(s: AttributionSource): string {
  const place = s.line !== undefined ? `${s.file}:${s.line}` : s.file;
  return s.origin ? `${place} ${s.origin}` : place;
}
