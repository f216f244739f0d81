/**
 * What a scanner's probe and a real client's packet can differ in: the source port (nmap's sweeps are
 * pinned to one), TCP options, length, TTL, window, flow label, and the moment (rate, chance, time). A
 * verdict read from the scan's own probe holds for clients only where the deciding rule keys on none of
 * these; shared by the gate (report/admission.ts) and the counted sweep's trust in its drops (ruleset/).
 */

/** Match words keyed on the probe's shape or moment, as the kernel prints rules back. Comments excluded first. */
export const SHAPE_OR_MOMENT =
  /\b(option|tcp-option|sport|sports|source-port|source-ports|length|ttl|hoplimit|hl|window|mss|tcpmss|sequence|ackseq|id|frag|tos|dscp|ecn|osf|u32|bpf|limit|hashlimit|random|numgen|statistic|connlimit|count|recent|quota|time|hour|day|cpu|flowlabel|doff|proto-src|ctorigsrcport)\b|@(ll|nh|th),/i;

/** A rule's text without its comments, which are not matches. */
export function withoutComments(rule: string): string {
  return rule.replace(/\bcomment\s+"[^"]*"/g, '').replace(/--comment\s+("[^"]*"|\S+)/g, '');
}
