/**
 * Checks for every policy value that ends up inside a rule or the generated shell script. They are
 * allow-lists: a value either matches a narrow charset or is rejected with the reason, so no shell
 * metacharacter can ever reach a rendered script.
 */
import { ipVersion } from '../model/ip.ts';

import type { Family } from '../model/observation.ts';

/** Outcome of a value check: `null` when valid, otherwise the message (without the field path). */
export type Problem = string | null;

// Starts with a letter or digit: `-j` or `--syn` would be read as options, `+` is iptables' "any interface".
const INTERFACE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]{0,14}$/;
/** Characters allowed in log prefixes and comments: no quotes, `\`, `$`, backticks, `;`, `#`, newlines. */
const TEXT_CHARS = 'letters, digits, space and _.:,=/()@%+-';
const TEXT_CHAR_RE = /^[A-Za-z0-9 _.:,=/()@%+-]$/;
const RATE_RE = /^[1-9][0-9]{0,5}\/(second|minute|hour|day|sec|min|s|m|h|d)$/;

/** iptables truncates nothing: it refuses a `--log-prefix` longer than 29 characters. */
export const MAX_LOG_PREFIX = 29;
/** Our own limit for `-m comment` text; the kernel allows 255. */
export const MAX_COMMENT = 64;

export function checkInterface(value: string): Problem {
  if (INTERFACE_RE.test(value)) return null;
  const bad = firstBadChar(value, (c) => /^[a-zA-Z0-9_.+-]$/.test(c));
  if (bad !== null) return `contains ${describeChar(bad)}, not allowed in an interface name (allowed: letters, digits and _.+-)`;
  return `expected an interface name of 1-15 characters starting with a letter or digit, got ${JSON.stringify(value)}`;
}

/** Log prefixes and comments share one charset; `what` names the kind for the message. */
export function checkText(value: string, max: number, what: string): Problem {
  const bad = firstBadChar(value, (c) => TEXT_CHAR_RE.test(c));
  if (bad !== null) return `contains ${describeChar(bad)}, not allowed in a ${what} (allowed: ${TEXT_CHARS})`;
  if (value.length === 0) return `expected a non-empty ${what}`;
  if (value.length > max) return `expected at most ${max} characters for a ${what}, got ${value.length}`;
  return null;
}

export function checkRate(value: string): Problem {
  return RATE_RE.test(value) ? null : `expected a rate such as "5/minute" (N/second|minute|hour|day), got ${JSON.stringify(value)}`;
}

/** An address or CIDR of the given family; the message says when it belongs to the other family. */
export function checkAddress(value: string, family: Family): Problem {
  const want = family === 'ipv4' ? 'IPv4' : 'IPv6';
  const expected = `expected an ${want} address or CIDR`;
  const parsed = splitCidr(value);
  if (parsed === null) return `${expected}, got ${JSON.stringify(value)}`;
  const other = family === 'ipv4' ? 'ipv6' : 'ipv4';
  if (familyOf(parsed.address) === other) {
    return `${expected}, got ${JSON.stringify(value)}, which is ${other === 'ipv6' ? 'IPv6' : 'IPv4'}: list it under ${other}`;
  }
  if (familyOf(parsed.address) !== family) return `${expected}, got ${JSON.stringify(value)}`;
  const max = family === 'ipv4' ? 32 : 128;
  if (parsed.prefix !== null && parsed.prefix > max) return `${expected}, got ${JSON.stringify(value)}: prefix length above ${max}`;
  return null;
}

/** A port range after validation. `from === to` for a single port. */
export interface PortRange {
  from: number;
  to: number;
}

/** Parses `22`, `"22"` or `"8000-8010"`; returns the range or a problem message. */
export function parsePortSpec(value: unknown): PortRange | string {
  if (typeof value === 'number') return checkPortNumber(value) ?? { from: value, to: value };
  if (typeof value !== 'string') return `expected a port (1-65535) or a range "FROM-TO", got ${JSON.stringify(value)}`;
  const m = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(value);
  if (!m) return `expected a port (1-65535) or a range "FROM-TO", got ${JSON.stringify(value)}`;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  const problem = checkPortNumber(from) ?? checkPortNumber(to);
  if (problem) return problem;
  if (to < from) return `expected a range with FROM <= TO, got ${JSON.stringify(value)}`;
  return { from, to };
}

function checkPortNumber(n: number): string | null {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? null : `expected 1-65535, got ${n}`;
}

function splitCidr(value: string): { address: string; prefix: number | null } | null {
  const m = /^([0-9A-Fa-f:.]+)(?:\/(\d{1,3}))?$/.exec(value);
  if (!m || m[1] === undefined) return null;
  return { address: m[1], prefix: m[2] === undefined ? null : Number(m[2]) };
}

function familyOf(address: string): Family | null {
  const version = ipVersion(address);
  return version === 0 ? null : version === 4 ? 'ipv4' : 'ipv6';
}

function firstBadChar(value: string, ok: (c: string) => boolean): string | null {
  for (const c of value) if (!ok(c)) return c;
  return null;
}

function describeChar(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\t') return 'a tab';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0')}`;
  // A non-breaking or zero-width space would print as (nearly) nothing.
  if (code > 0x7e) return `${JSON.stringify(c)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return JSON.stringify(c);
}
