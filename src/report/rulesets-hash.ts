/**
 * The applied rulesets' fingerprint, recorded in a baseline so that `check` can say "the rules changed, the
 * exposure did not". It covers every form a scenario applies, as the kernel holds it afterwards: both
 * families as `*-save` prints them, and every table as `nft -s list ruleset` prints it (native nft tables,
 * ufw's and a script's rules, generated texts all end there). What changes from run to run without a rule
 * of the user's changing is left out: iptables-save's packet counters and dated comments, nft's handles,
 * counter values and set-element countdowns, and Docker's embedded-DNS chains (a random port each run).
 */
import { createHash } from 'node:crypto';
import type { AppliedRuleset } from '../model/ruleset.ts';

// Docker's embedded DNS adds these nat chains in every container on a user network, with a random port
// each time: they are the lab's, not the ruleset's. Only their rules are left out (in the nat table, about
// Docker's resolver 127.0.0.11): a user's rule elsewhere that merely names them (a comment "DOCKER_OUTPUT",
// a filter chain of that name) is the user's and must change the hash like any other.
const DOCKER_DNS_CHAINS = /\bDOCKER_(OUTPUT|POSTROUTING)\b/;
const DOCKER_RESOLVER = /\b127\.0\.0\.11\b/;

function cleanSave(text: string): string {
  let table = '';
  return text
    .split('\n')
    .filter((line) => {
      if (line.startsWith('*')) table = line.trim();
      return !line.startsWith('#') && !(table === '*nat' && DOCKER_DNS_CHAINS.test(line) && DOCKER_RESOLVER.test(line));
    })
    .map((line) => line.replace(/\s*\[\d+:\d+\]\s*$/, '').trimEnd())
    .join('\n')
    .trim();
}

/** nft's listing without what moves by itself; Docker's DNS rules (ip nat, about 127.0.0.11) dropped (they hold the port). */
export function cleanNftListing(text: string): string {
  const out: string[] = [];
  let natTable = false;
  let dockerChain = false;
  for (const raw of text.split('\n')) {
    // nft prints its "managed by iptables-nft" warnings after the listing, sometimes on the closing brace's line.
    const line = raw
      .replace(/\s*# (handle \d+|Warning:.*)$/, '')
      .replace(/\bcounter packets \d+ bytes \d+/g, 'counter')
      .replace(/ expires \S+/g, '')
      .trimEnd();
    if (/^table /.test(line)) natTable = line === 'table ip nat {';
    if (/^\s*chain /.test(line)) dockerChain = natTable && /^\s*chain DOCKER_(OUTPUT|POSTROUTING) \{$/.test(line);
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (natTable && (dockerChain || DOCKER_DNS_CHAINS.test(line)) && DOCKER_RESOLVER.test(line)) continue;
    out.push(line);
  }
  return out.join('\n');
}

/** `sha256:…` of the applied rulesets, every form; `none` hashed when nothing was applied. */
export function rulesetsHash(applied: AppliedRuleset | null): string {
  const text = applied ? `v4\n${cleanSave(applied.v4)}\nv6\n${cleanSave(applied.v6)}\nnft\n${cleanNftListing(applied.nft ?? '')}\n` : 'none\n';
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
