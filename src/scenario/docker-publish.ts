/**
 * `docker run -p` strings, read the way Docker reads them (`[host-ip:][host-port[-end]:]container-port[-end]
 * [/protocol]`, an IPv6 host IP in brackets), into the parts fwprobe needs: which of the target's ports a
 * peer can try, on which host address, and where Docker sends them. Anything fwprobe could not scan for
 * sure is refused with the reason: a host port Docker picks at random, a host range for one container
 * port (Docker picks one of them), a protocol fwprobe does not scan (sctp).
 */
import { canonicalIp, ipVersion } from '../model/ip.ts';
import { isValidPort } from '../model/ports.ts';
import type { Protocol } from '../model/observation.ts';
import type { PublishedPort } from '../model/docker.ts';

export { publishFlag } from '../model/docker.ts';

/** Longer than any valid -p string (a full IPv6 address, two ranges, a protocol). */
const MAX_LENGTH = 100;
const RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** The parsed -p string, or the reason it is refused (a sentence the scenario error quotes). */
export function parsePublish(text: string): PublishedPort | { problem: string } {
  if (text.length > MAX_LENGTH) return { problem: `expected a docker run -p string (at most ${MAX_LENGTH} characters), found ${text.length} characters` };
  if (!/^[\x21-\x7e]+$/.test(text)) return { problem: 'expected a docker run -p string of printable characters without spaces' };
  const [mapping, protocolText, extra] = text.split('/');
  if (extra !== undefined) return { problem: `expected at most one /protocol in ${JSON.stringify(text)}` };
  const protocol = protocolText ?? 'tcp';
  if (protocol !== 'tcp' && protocol !== 'udp') return { problem: `expected /tcp or /udp, found /${protocol} (fwprobe scans TCP and UDP only)` };
  const split = splitHostIp(mapping!);
  if ('problem' in split) return split;
  const parts = split.rest.split(':');
  if (parts.length > 2)
    return {
      problem: `expected [host-ip:][host-port:]container-port, found ${parts.length + (split.hostIp === null ? 0 : 1)} fields in ${JSON.stringify(text)} (an IPv6 host address goes in brackets: "[::1]:8080:80")`,
    };
  const [hostText, containerText] = parts.length === 2 ? [parts[0]!, parts[1]!] : [null, parts[0]!];
  if (hostText === null || hostText === '') {
    return { problem: `expected a host port in ${JSON.stringify(text)}: without one Docker picks a random port, which fwprobe cannot name in expectations (write "8080:80")` };
  }
  const host = parseRange(hostText, 'host port');
  if ('problem' in host) return host;
  const container = parseRange(containerText, 'container port');
  if ('problem' in container) return container;
  const hostCount = host.to - host.from;
  const containerCount = container.to - container.from;
  if (hostCount !== containerCount) {
    return {
      problem:
        containerCount === 0
          ? `expected one host port for one container port, found the range ${hostText}: Docker would pick any free port of it, which fwprobe cannot name in expectations`
          : `expected ranges of the same size, found host ${hostText} (${hostCount + 1} ports) and container ${containerText} (${containerCount + 1})`,
    };
  }
  return { hostIp: split.hostIp, host, container, protocol: protocol as Protocol };
}

/** The problem with `text` as a -p string, or null (for zod). */
export function publishProblem(text: string): string | null {
  const parsed = parsePublish(text);
  return 'problem' in parsed ? parsed.problem : null;
}

function splitHostIp(mapping: string): { hostIp: string | null; rest: string } | { problem: string } {
  if (mapping.startsWith('[')) {
    const close = mapping.indexOf(']');
    if (close < 0) return { problem: `expected a closing ] after the IPv6 host address in ${JSON.stringify(mapping)}` };
    const ip = mapping.slice(1, close);
    if (ipVersion(ip) !== 6) return { problem: `expected an IPv6 address in brackets, found [${ip}]` };
    if (mapping[close + 1] !== ':') return { problem: `expected ":" after [${ip}]` };
    return { hostIp: canonicalIp(ip), rest: mapping.slice(close + 2) };
  }
  const parts = mapping.split(':');
  if (parts.length === 3) {
    const ip = parts[0]!;
    if (ipVersion(ip) !== 4) {
      return { problem: `expected an IPv4 host address (or an IPv6 one in brackets) before the ports, found ${JSON.stringify(ip)}` };
    }
    return { hostIp: canonicalIp(ip), rest: parts.slice(1).join(':') };
  }
  return { hostIp: null, rest: mapping };
}

function parseRange(text: string, what: string): { from: number; to: number } | { problem: string } {
  const m = RANGE.exec(text);
  const bad = { problem: `expected a ${what} 1-65535 or a range like 8000-8010, found ${JSON.stringify(text)}` };
  if (!m) return bad;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (!isValidPort(from) || !isValidPort(to)) return bad;
  if (to < from) return { problem: `expected a ${what} range from low to high, found ${text}` };
  return { from, to };
}
