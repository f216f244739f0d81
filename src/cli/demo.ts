/**
 * `fwprobe demo` tells the 2009 post's story from what the scans really saw, in a fixed order: the v4-only
 * host (the gap), the fix, and what the fix costs (`::1` dropped for local clients while `127.0.0.1`
 * works; the peer loses IPv6 entirely), one sentence per finding, then where the HTML report is. Every
 * sentence is read from the results: a run that saw something else says so instead.
 */
import { fileURLToPath } from 'node:url';
import type { Observation, PortState } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from '../report/result.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../scenarios/ipv6-gap/', import.meta.url));

export const DEMO_INTRO = `fwprobe demo: the IPv6 gap from the 2009 post on the "Linux Firewalls" script.
Before: an iptables-only ruleset (INPUT DROP, ssh allowed). After: the same plus ip6tables policies DROP.
Each table shows what nmap really sees, from inside the host (loopback) and from a peer on the network.
`;

const EXPOSED: ReadonlySet<PortState> = new Set(['open', 'delivered']);
const WHERE: Record<string, string> = { loopback: 'from inside the host (loopback)', peer: 'from a peer on the network' };

/** The story's sentences, numbered, then the report's path. */
export function demoStory(results: readonly ScenarioResult[], htmlReport: string): string {
  const gap = results.find((r) => r.file.endsWith('v4-only.scenario.yaml'));
  const fix = results.find((r) => r.file.endsWith('v6-blocked.scenario.yaml'));
  const sentences = [...gapSentences(gap), ...fixSentences(fix), ...costSentences(fix)];
  return ['', 'What this shows:', ...sentences.map((s, i) => `  ${i + 1}. ${s}`), '', `The full report (matrix, rulesets, nmap's XML): ${printable(htmlReport)}`, ''].join('\n');
}

function couldNotRun(r: ScenarioResult | undefined, what: string): string[] | null {
  if (!r) return [`The ${what} scenario was not run.`];
  if (r.status === 'error') return [`The ${what} scenario could not run (${r.errorCode ?? 'ERROR'}), so this part of the story is untold.`];
  return null;
}

/** `(vantage, port)` → state, for one family. */
function states(r: ScenarioResult, vantage: string, family: 'ipv4' | 'ipv6'): Map<string, Observation> {
  return new Map(r.observations.filter((o) => o.vantage === vantage && o.family === family).map((o) => [`${o.protocol}/${o.port}`, o]));
}

function vantagesOf(r: ScenarioResult): string[] {
  const seen = [...new Set(r.observations.map((o) => o.vantage))];
  return [...seen.filter((v) => v === 'loopback'), ...seen.filter((v) => v !== 'loopback')];
}

function where(vantage: string): string {
  return WHERE[vantage] ?? `from ${printable(vantage)}`;
}

function list(ports: string[]): string {
  return ports.length <= 1 ? (ports[0] ?? '') : `${ports.slice(0, -1).join(', ')} and ${ports.at(-1)}`;
}

function gapSentences(r: ScenarioResult | undefined): string[] {
  const none = couldNotRun(r, 'v4-only');
  if (none) return none;
  return vantagesOf(r!).map((vantage) => {
    const v4 = states(r!, vantage, 'ipv4');
    const extra = [...states(r!, vantage, 'ipv6')].filter(([port, o]) => EXPOSED.has(o.state) && !EXPOSED.has(v4.get(port)?.state ?? 'filtered')).map(([port]) => port);
    return extra.length > 0
      ? `The v4-only host, ${where(vantage)}: ${list(extra)} ${extra.length === 1 ? 'is' : 'are'} open over IPv6 while IPv4 keeps ${extra.length === 1 ? 'it' : 'them'} shut: the gap.`
      : `The v4-only host, ${where(vantage)}: no port is open over IPv6 that IPv4 keeps shut.`;
  });
}

function fixSentences(r: ScenarioResult | undefined): string[] {
  const none = couldNotRun(r, 'fix');
  if (none) return none;
  const leaks = vantagesOf(r!).flatMap((vantage) => {
    const v4 = states(r!, vantage, 'ipv4');
    return [...states(r!, vantage, 'ipv6')].filter(([port, o]) => EXPOSED.has(o.state) && !EXPOSED.has(v4.get(port)?.state ?? 'filtered')).map(([port]) => `${port} ${where(vantage)}`);
  });
  return leaks.length === 0
    ? ['The fix (ip6tables policies DROP) closes the gap: no port is open over IPv6 that IPv4 keeps shut, from any vantage.']
    : [`The fix leaves IPv6 open where IPv4 is shut: ${list(leaks)}.`];
}

function costSentences(r: ScenarioResult | undefined): string[] {
  if (!r || r.status === 'error') return [];
  const out: string[] = [];
  const lo4 = states(r, 'loopback', 'ipv4');
  const lostLocally = [...states(r, 'loopback', 'ipv6')].filter(([port, o]) => EXPOSED.has(lo4.get(port)?.state ?? 'filtered') && !EXPOSED.has(o.state)).map(([port]) => port);
  if (lostLocally.length > 0) {
    out.push(`What the fix costs, locally: ${list(lostLocally)} ${lostLocally.length === 1 ? 'answers' : 'answer'} on 127.0.0.1 but not on ::1: local clients that try IPv6 first are dropped.`);
  }
  for (const vantage of vantagesOf(r).filter((v) => v !== 'loopback')) {
    const v6 = [...states(r, vantage, 'ipv6').values()];
    if (v6.length > 0 && v6.every((o) => o.state === 'unreachable')) {
      out.push(`What the fix costs, ${where(vantage)}: IPv6 is gone entirely: the DROP policies also drop neighbour discovery, so the host is unreachable over IPv6, not just filtered.`);
    }
  }
  return out;
}
