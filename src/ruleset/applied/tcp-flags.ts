/**
 * TCP flag matches (`--syn`, `--tcp-flags MASK COMP`, nft `tcp flags`): varied when every flag set a
 * connecting SYN may carry gives an outcome one of the tried SYNs gave too. A listener accepts a SYN with
 * any of ECE, CWR, PSH, URG beside it; the clients try plain SYN, SYN|ECE|CWR and SYN|PSH.
 */
import type { MatchClass } from './class.ts';
import type { AppliedRule } from './types.ts';

const BIT: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };
const SYN = BIT.SYN!;
const TRIED = [SYN, SYN | BIT.ECE! | BIT.CWR!, SYN | BIT.PSH!];
const EXTRA = [BIT.ECE!, BIT.CWR!, BIT.PSH!, BIT.URG!];
/** Every flag set a SYN that a listener accepts may carry. */
const CONNECTING = Array.from({ length: 1 << EXTRA.length }, (_, n) => EXTRA.reduce((acc, bit, i) => (n & (1 << i) ? acc | bit : acc), SYN));

/** Flags by name (`SYN,ACK`, `ALL`, `NONE`, nft's `syn`, `0x02`). null: a name it does not know. */
export function flagBits(names: readonly string[]): number | null {
  let bits = 0;
  for (const name of names
    .flatMap((n) => n.split(/[,|]/))
    .map((n) => n.trim().toUpperCase())
    .filter(Boolean)) {
    if (name === 'ALL') bits |= 0xff;
    else if (name === 'NONE') continue;
    else if (/^(0X[0-9A-F]+|\d+)$/.test(name)) bits |= Number(name);
    else if (BIT[name] !== undefined) bits |= BIT[name];
    else return null;
  }
  return bits;
}

/** Whether `(flags & mask) == comp` (or any of `comps`) is varied by the tried SYNs. */
export function flagsClass(mask: number, comps: readonly number[], negated: boolean): MatchClass {
  const test = (flags: number) => comps.includes(flags & mask) !== negated;
  const tried = new Set(TRIED.map(test));
  return CONNECTING.every((flags) => tried.has(test(flags))) ? 'varied' : 'unvaried';
}

/**
 * Whether every SYN a listener accepts meets `(flags & mask) == comp` as a plain SYN does: then nmap's plain
 * SYN speaks for every client's. `SYN,PSH SYN,PSH` lets in a SYN carrying PSH that nmap's never carries.
 */
export function sameForEverySyn(mask: number, comps: readonly number[], negated: boolean): boolean {
  const test = (flags: number) => comps.includes(flags & mask) !== negated;
  return CONNECTING.every((flags) => test(flags) === test(SYN));
}

/**
 * Whether the tried SYNs speak for every connecting SYN across several flag tests together: each rule may be
 * varied alone while their joint outcome for a SYN|URG (`flags & psh == psh drop` and `flags & (urg|psh) ==
 * 0 drop` drop all three tried shapes) is one no tried SYN had.
 */
export function jointlyVaried(tests: readonly ((flags: number) => boolean)[]): boolean {
  const signature = (flags: number) => tests.map((t) => (t(flags) ? '1' : '0')).join('');
  const tried = new Set(TRIED.map(signature));
  return CONNECTING.every((flags) => tried.has(signature(flags)));
}

/**
 * The flag tests a rule makes (`--syn`, `--tcp-flags`, nft `tcp flags`); null for a test it cannot read.
 * A list of nft values is read both as one value (`syn|psh`) and as alternatives (`{ syn, ack }`).
 */
export function flagTestsOf(rule: AppliedRule): ((flags: number) => boolean)[] | null {
  const out: ((flags: number) => boolean)[] = [];
  for (const m of rule.matches) {
    for (const o of m.options) {
      if (m.kind === 'xt' && m.name === 'tcp' && (o.name === '--syn' || o.name === '--tcp-flags')) {
        const mask = o.name === '--syn' ? 0x17 : flagBits([o.args[0] ?? '']);
        const comp = o.name === '--syn' ? SYN : flagBits([o.args[1] ?? '']);
        if (mask === null || comp === null) return null;
        out.push((flags) => ((flags & mask) === comp) !== o.negated);
      }
      if (m.kind === 'nft' && m.name === 'payload tcp' && o.name === 'flags') {
        const maskOption = m.options.find((s) => s.name === '&');
        const mask = maskOption ? flagBits(maskOption.args) : 0xff;
        const each = o.args.map((a) => flagBits([a]));
        const all = flagBits(o.args);
        if (mask === null || all === null || each.some((c) => c === null)) return null;
        out.push(
          (flags) => each.includes(flags & mask) !== o.negated,
          (flags) => ((flags & mask) === all) !== o.negated,
        );
      }
    }
  }
  return out;
}
