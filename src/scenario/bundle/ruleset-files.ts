/**
 * The host's ruleset as the files a scenario loads, in the forms fwprobe already applies: the iptables-save
 * pair as a restore form (with the host's backend), and the nftables tables iptables did not make as an
 * nft layer on top, as the host holds both. A ruleset the bundle could not read refuses the capture: a
 * scenario that silently applied nothing for a family would describe another host.
 */
import { BundleInvalidError, SaveParseError } from '../../model/errors.ts';
import { parseSave } from '../../ruleset/parse-save.ts';
import type { HostFacts } from './host.ts';

export interface CapturedRuleset {
  /** The scenario's `ruleset` value. */
  ruleset: Record<string, unknown> | Record<string, unknown>[];
  backend: 'nft' | 'legacy';
  /** File name → content, written beside the scenario. */
  files: Record<string, string>;
  notes: string[];
  /** Rules the host applies that the lab does not (native nft tables beside iptables-legacy), or null. */
  gap: string | null;
}

/** The tables iptables-nft creates; any other nftables table was written natively (nftables.conf, firewalld). */
const IPTABLES_NFT_TABLE = /^table (ip|ip6) (filter|nat|mangle|raw|security) \{$/;

/** A save file with at least one table (`*filter`): an empty one is a family iptables never touched. */
function hasTables(save: string): boolean {
  return save.split('\n').some((line) => /^\*[a-z]+\s*$/.test(line));
}

/**
 * The top-level `table … { … }` blocks of `nft list ruleset` that iptables-nft did not make. An `ip`/`ip6`
 * table of an iptables name is iptables-nft's only when that family's save shows it (`*filter`): a table of
 * that name written natively with rules iptables cannot print shows there only as "# Table `filter' is
 * incompatible", and was dropped from both, so the lab applied nothing where the host drops (measured: a
 * native `table ip filter` with policy drop, captured as no IPv4 rule at all, and IPv4/IPv6 called alike).
 */
export function nativeNftTables(text: string, saved: { ip: string; ip6: string }): string {
  const kept: string[] = [];
  let current: string[] | null = null;
  let native = false;
  for (const line of text.split('\n')) {
    if (current === null) {
      if (/^table \S+ \S+ \{$/.test(line)) {
        current = [line];
        const made = IPTABLES_NFT_TABLE.exec(line);
        native = made === null || !savedTables(made[1] === 'ip' ? saved.ip : saved.ip6).has(made[2]!);
      }
      continue;
    }
    current.push(line);
    if (line === '}') {
      if (native) kept.push(current.join('\n'));
      current = null;
    }
  }
  return kept.join('\n');
}

/** The tables a save file holds (`*filter` → filter). */
function savedTables(save: string): Set<string> {
  return new Set([...save.matchAll(/^\*([a-z]+)\s*$/gm)].map((m) => m[1]!));
}

export function capturedRuleset(facts: HostFacts): CapturedRuleset {
  const notes: string[] = [];
  if (facts.v4 === null || facts.v6 === null) {
    const name = facts.v4 === null ? 'iptables_save' : 'ip6tables_save';
    throw new BundleInvalidError(
      `items.${name}: ${facts.unread[name] ?? 'not read'}, so a scenario could not say what the host applies for this family. ` +
        'Run the collect script as root (sudo sh collect.sh) on a host with iptables installed',
    );
  }
  checkSave('iptables_save', facts.v4);
  checkSave('ip6tables_save', facts.v6);
  if (facts.nft !== null) checkText('nft_ruleset', facts.nft);
  const backend = facts.backend ?? 'nft';
  if (facts.backend === null) notes.push('the iptables backend was not read: the lab uses nft, the default');
  const files: Record<string, string> = {};
  const restore: Record<string, string> = {};
  if (hasTables(facts.v4)) {
    files['host.rules.v4'] = ensureNewline(facts.v4);
    restore['v4'] = 'host.rules.v4';
  }
  if (hasTables(facts.v6)) {
    files['host.rules.v6'] = ensureNewline(facts.v6);
    restore['v6'] = 'host.rules.v6';
  } else notes.push('ip6tables holds no table on the host: nothing is applied for IPv6, as on the host');
  const native = facts.nft === null ? '' : nativeNftTables(facts.nft, { ip: facts.v4, ip6: facts.v6 });
  const include = native.split('\n').findIndex((line) => line.split(/[;{]/).some((part) => /^\s*include\b/.test(part)));
  // `nft -f` would read a file of the lab by it: a host's `nft list ruleset` never prints one.
  if (include >= 0)
    throw new BundleInvalidError(
      `items.nft_ruleset: expected \`nft list ruleset\` output, found an include in table rules (${JSON.stringify(native.split('\n')[include]!.trim().slice(0, 60))}): give the bundle the collect script wrote, unchanged`,
    );
  if (facts.nft === null) notes.push('nft list ruleset was not read: tables written natively in nftables (not through iptables) are not reproduced');
  let gap: string | null = null;
  // iptables-nft-save ends with this line when legacy tables also hold rules: two rulesets filter the host,
  // and the bundle holds one of them.
  const hidden = (
    [
      ['iptables_save', facts.v4],
      ['ip6tables_save', facts.v6],
    ] as const
  ).find(([, save]) => /^# Warning: iptables-legacy tables present/m.test(save));
  if (hidden) {
    notes.push(`${hidden[0]} says iptables-legacy tables are present too: the collect script does not read them, so their rules are not reproduced`);
    gap = `the host also filters with iptables-legacy tables the bundle does not hold (items.${hidden[0]})`;
  }
  if (native !== '' && backend === 'legacy') {
    notes.push('the host holds native nftables tables beside iptables-legacy: fwprobe cannot apply both in one lab, only the legacy rules are reproduced');
    gap = 'the host holds native nftables tables beside iptables-legacy and the lab applies only the legacy rules';
  }
  const layers: Record<string, unknown>[] = [];
  if (Object.keys(restore).length > 0) layers.push(restore);
  if (native !== '' && backend === 'nft') {
    files['host.nft'] = `${native}\n`;
    layers.push({ nft: 'host.nft' });
  }
  if (layers.length === 0) return { ruleset: { none: true }, backend, files, notes: [...notes, 'the host has no firewall rules'], gap };
  return { ruleset: layers.length === 1 ? layers[0]! : layers, backend, files, notes, gap };
}

/** Text a host's tools print: no control character but tab and newline (an escape sequence, a NUL). */
function checkText(name: string, text: string): void {
  const line = text.split('\n').findIndex((l) => /[\x00-\x08\x0b-\x1f\x7f]/.test(l));
  if (line >= 0) throw new BundleInvalidError(`items.${name} line ${line + 1}: expected printable text, found a control character: give the bundle the collect script wrote, unchanged`);
}

/** iptables-save syntax, read as the lab will read it: a line it cannot read names the item and line. */
function checkSave(name: 'iptables_save' | 'ip6tables_save', text: string): void {
  checkText(name, text);
  try {
    parseSave(text, `items.${name}`);
  } catch (error) {
    if (error instanceof SaveParseError) throw new BundleInvalidError(`${error.message} (expected iptables-save output)`, { cause: error });
    throw error;
  }
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
