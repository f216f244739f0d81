/**
 * The book's iptables.sh (Linux Firewalls, 2007) and the 2009 post's fix, as IR built directly: the
 * policy model has no knob for the book's per-rule details (`--syn`, `--log-ip-options`, LOG rules without
 * loopback ACCEPT), and a preset must reproduce the script exactly. Modern syntax only: `! -i lo`,
 * `! -s NET`. Filter table only; the book's NAT section and `ip_forward` are out of scope.
 */
import { RuleBuilder, builtinTable, type FamilyRulesetIR, type RulesetIR } from '../ir.ts';

export interface BookParams {
  /** The book's internal interface (`eth1` in the book). */
  iface: string;
  /** The book's INT_NET. */
  intNet: string;
}

const LOG_OPTIONS = ['--log-ip-options', '--log-tcp-options'];
const NEW = ['-m', 'state', '--state', 'NEW'];
const OUT_TCP_PORTS = ['21', '22', '25', '43', '80', '443', '4321'];
/** FORWARD ports the book only accepts from INT_NET on the internal interface; 80 and 443 from anywhere. */
const FWD_INTERNAL_ONLY = new Set(['21', '22', '25', '43', '4321']);

export function book2007(p: BookParams): Omit<RulesetIR, 'source'> {
  return { v4: bookV4(p, false), v6: null };
}

/** The 2009 update: loopback accepted after the LOG rules, and ip6tables policies DROP with no rules. */
export function book2009(p: BookParams): Omit<RulesetIR, 'source'> {
  return {
    v4: bookV4(p, true),
    v6: { tables: { filter: builtinTable({ INPUT: 'DROP', OUTPUT: 'DROP', FORWARD: 'DROP' }) } },
  };
}

function bookV4(p: BookParams, loopbackAccept: boolean): FamilyRulesetIR {
  const b = new RuleBuilder();
  input(b, p, loopbackAccept);
  output(b, loopbackAccept);
  forward(b, p);
  return { tables: { filter: builtinTable({ INPUT: 'DROP', OUTPUT: 'DROP', FORWARD: 'DROP' }, b.rules) } };
}

function stateTriple(b: RuleBuilder, chain: string): void {
  const invalid = ['-m', 'state', '--state', 'INVALID'];
  b.section('state tracking rules')
    .add(chain, `${chain}: INVALID log`, [...invalid, '-j', 'LOG', '--log-prefix', 'DROP INVALID ', ...LOG_OPTIONS])
    .add(chain, `${chain}: INVALID drop`, [...invalid, '-j', 'DROP'])
    .add(chain, `${chain}: ESTABLISHED,RELATED`, ['-m', 'state', '--state', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
}

function antiSpoof(b: RuleBuilder, chain: string, p: BookParams): void {
  const match = ['-i', p.iface, '!', '-s', p.intNet];
  b.section('anti-spoofing rules')
    .add(chain, `${chain}: spoofed log`, [...match, '-j', 'LOG', '--log-prefix', 'SPOOFED PKT '])
    .add(chain, `${chain}: spoofed drop`, [...match, '-j', 'DROP']);
}

function defaultLog(b: RuleBuilder, chain: string, dir: '-i' | '-o'): void {
  b.section(`default ${chain} LOG rule`).add(chain, `${chain}: default LOG`, ['!', dir, 'lo', '-j', 'LOG', '--log-prefix', 'DROP ', ...LOG_OPTIONS]);
}

function input(b: RuleBuilder, p: BookParams, loopbackAccept: boolean): void {
  stateTriple(b, 'INPUT');
  antiSpoof(b, 'INPUT', p);
  b.section('ACCEPT rules')
    .add('INPUT', 'INPUT: ssh from INT_NET', ['-i', p.iface, '-p', 'tcp', '-s', p.intNet, '--dport', '22', '--syn', ...NEW, '-j', 'ACCEPT'])
    .add('INPUT', 'INPUT: icmp echo-request', ['-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'ACCEPT']);
  defaultLog(b, 'INPUT', '-i');
  if (loopbackAccept) b.section('make sure that loopback traffic is accepted').add('INPUT', 'INPUT: loopback (2009)', ['-i', 'lo', '-j', 'ACCEPT']);
}

function output(b: RuleBuilder, loopbackAccept: boolean): void {
  stateTriple(b, 'OUTPUT');
  b.section('ACCEPT rules for allowing connections out');
  for (const port of OUT_TCP_PORTS) {
    b.add('OUTPUT', `OUTPUT: tcp ${port}`, ['-p', 'tcp', '--dport', port, '--syn', ...NEW, '-j', 'ACCEPT']);
  }
  b.add('OUTPUT', 'OUTPUT: tcp 53', ['-p', 'tcp', '--dport', '53', ...NEW, '-j', 'ACCEPT'])
    .add('OUTPUT', 'OUTPUT: udp 53', ['-p', 'udp', '--dport', '53', ...NEW, '-j', 'ACCEPT'])
    .add('OUTPUT', 'OUTPUT: icmp echo-request', ['-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'ACCEPT']);
  defaultLog(b, 'OUTPUT', '-o');
  if (loopbackAccept) b.section('make sure that loopback traffic is accepted').add('OUTPUT', 'OUTPUT: loopback (2009)', ['-o', 'lo', '-j', 'ACCEPT']);
}

function forward(b: RuleBuilder, p: BookParams): void {
  stateTriple(b, 'FORWARD');
  antiSpoof(b, 'FORWARD', p);
  b.section('ACCEPT rules');
  for (const port of OUT_TCP_PORTS) {
    const from = FWD_INTERNAL_ONLY.has(port) ? ['-i', p.iface, '-s', p.intNet] : [];
    b.add('FORWARD', `FORWARD: tcp ${port}`, ['-p', 'tcp', ...from, '--dport', port, '--syn', ...NEW, '-j', 'ACCEPT']);
  }
  b.add('FORWARD', 'FORWARD: tcp 53', ['-p', 'tcp', '--dport', '53', ...NEW, '-j', 'ACCEPT'])
    .add('FORWARD', 'FORWARD: udp 53', ['-p', 'udp', '--dport', '53', ...NEW, '-j', 'ACCEPT'])
    .add('FORWARD', 'FORWARD: icmp echo-request', ['-p', 'icmp', '--icmp-type', 'echo-request', '-j', 'ACCEPT']);
  defaultLog(b, 'FORWARD', '-i');
}
