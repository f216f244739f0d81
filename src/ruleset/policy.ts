/**
 * The policy model: one description of the firewall intent, from which fwprobe generates both the IPv4 and
 * the IPv6 ruleset. Every object is strict (an unknown field is an error) and every value that ends up in a
 * rule or in the shell script is checked against a narrow charset (see `values.ts`).
 */
import { z } from 'zod';

import type { Family } from '../model/observation.ts';
import { MAX_COMMENT, MAX_LOG_PREFIX, checkAddress, checkInterface, checkRate, checkText, parsePortSpec, type PortRange, type Problem } from './values.ts';

function checkedString(check: (value: string) => Problem) {
  return z.string().superRefine((value, ctx) => {
    const problem = check(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const Interface = checkedString(checkInterface);
const LogPrefix = checkedString((v) => checkText(v, MAX_LOG_PREFIX, 'log prefix'));
const Comment = checkedString((v) => checkText(v, MAX_COMMENT, 'comment'));
const Rate = checkedString(checkRate);
const address = (family: Family) => checkedString((v) => checkAddress(v, family));

const Port = z.unknown().transform((value, ctx): PortRange => {
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: 'required' });
    return z.NEVER;
  }
  const parsed = parsePortSpec(value);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const Verdict = z.enum(['accept', 'drop']);
const Protocol = z.enum(['tcp', 'udp']);

/** Addresses per family. A family left out gets no rule at all, i.e. that family is not allowed. */
const Addresses = z
  .object({
    /** IPv4 addresses or CIDRs. */
    ipv4: z.array(address('ipv4')).optional(),
    /** IPv6 addresses or CIDRs. */
    ipv6: z.array(address('ipv6')).optional(),
  })
  .strict();

const Inbound = z
  .object({
    /** A port `22` or a range `"8000-8010"`, 1-65535. */
    port: Port,
    /** @default 'tcp' */
    protocol: Protocol.default('tcp'),
    /**
     * Allowed sources per family. Absent: any source on both families. Present: only the listed
     * sources, and a family without a list gets no rule for this service.
     */
    sources: Addresses.optional(),
    /** Only on this incoming interface. */
    interface: Interface.optional(),
    /** Added to the rule as `-m comment`. */
    comment: Comment.optional(),
  })
  .strict();

const Outbound = z
  .object({
    /** A port `53` or a range `"8000-8010"`, 1-65535. */
    port: Port,
    /** @default 'tcp' */
    protocol: Protocol.default('tcp'),
    /** Allowed destinations per family; same semantics as inbound `sources`. */
    destinations: Addresses.optional(),
    /** Only through this outgoing interface. */
    interface: Interface.optional(),
    comment: Comment.optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    /** Free text for humans; never rendered into rules or scripts. */
    description: z.string().max(500).optional(),
    /**
     * `mirror`: the same intent for IPv6, with IPv6 sources and essential ICMPv6. `block`: IPv6 policies
     * DROP and no rules. `ignore`: no IPv6 ruleset at all (ip6tables is left untouched).
     * @default 'mirror'
     */
    ipv6: z.enum(['mirror', 'block', 'ignore']).default('mirror'),
    /** Default policy per built-in chain. */
    policies: z
      .object({
        /** @default 'drop' */
        input: Verdict.default('drop'),
        /** @default 'accept' */
        output: Verdict.default('accept'),
        /** @default 'drop' */
        forward: Verdict.default('drop'),
      })
      .strict()
      .prefault({}),
    /**
     * `accept`: all loopback traffic accepted first in INPUT and OUTPUT. `drop`: all of it dropped first.
     * @default 'accept'
     */
    loopback: Verdict.default('accept'),
    /** Connection tracking rules at the top of every chain. */
    state: z
      .object({
        /**
         * What to do with INVALID packets.
         * @default 'log-drop'
         */
        invalid: z.enum(['log-drop', 'drop', 'off']).default('log-drop'),
        /** @default 'DROP INVALID ' */
        invalidPrefix: LogPrefix.default('DROP INVALID '),
        /**
         * Accept ESTABLISHED,RELATED; service rules then match NEW only.
         * @default true
         */
        established: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Anti-spoofing on an internal interface: any source outside the internal net is dropped. */
    spoof: z
      .object({
        interface: Interface,
        /** The internal IPv4 net (the book's INT_NET). */
        ipv4: address('ipv4'),
        /** The internal IPv6 net; required when `ipv6` is `mirror`. */
        ipv6: address('ipv6').optional(),
        /** @default true */
        log: z.boolean().default(true),
        /** @default 'SPOOFED PKT ' */
        prefix: LogPrefix.default('SPOOFED PKT '),
      })
      .strict()
      .optional(),
    /** Services accepted on INPUT. */
    inbound: z.array(Inbound).default([]),
    /** Connections allowed out on OUTPUT; needs `policies.output: drop` to mean anything. */
    outbound: z.array(Outbound).default([]),
    /** ICMP / ICMPv6 echo-request, for both families. */
    icmp: z
      .object({
        /** @default true */
        echoIn: z.boolean().default(true),
        /** @default true */
        echoOut: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    icmpv6: z
      .object({
        /**
         * Accept the ICMPv6 that IPv6 cannot live without (neighbour and router discovery 133-136,
         * packet-too-big 2, time-exceeded 3, parameter-problem 4). Only for `ipv6: mirror`. Turning it off
         * makes the host unreachable over IPv6 on any real link.
         * @default true
         */
        essential: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** A LOG rule at the end of each chain whose policy is drop; loopback is never logged. */
    logging: z
      .object({
        /** @default true */
        enabled: z.boolean().default(true),
        /** @default 'DROP ' */
        prefix: LogPrefix.default('DROP '),
        /** `-m limit --limit RATE`, e.g. `5/minute`. Absent: no limit. */
        rate: Rate.optional(),
        /** `--limit-burst`, only with `rate`. */
        burst: z.int().min(1).max(10000).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.spoof && policy.ipv6 === 'mirror' && policy.spoof.ipv6 === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['spoof', 'ipv6'],
        message: 'required when ipv6 is mirror: give the internal IPv6 net, or set ipv6: block',
      });
    }
    if (policy.outbound.length > 0 && policy.policies.output === 'accept') {
      ctx.addIssue({
        code: 'custom',
        path: ['outbound'],
        message: 'has no effect while policies.output is accept: set policies.output to drop, or remove outbound',
      });
    }
    if (policy.logging.burst !== undefined && policy.logging.rate === undefined) {
      ctx.addIssue({ code: 'custom', path: ['logging', 'burst'], message: 'needs logging.rate' });
    }
    policy.inbound.forEach((s, i) => checkAddressSet(s.sources, ['inbound', i, 'sources'], ctx));
    policy.outbound.forEach((s, i) => checkAddressSet(s.destinations, ['outbound', i, 'destinations'], ctx));
  });

function checkAddressSet(set: { ipv4?: string[] | undefined; ipv6?: string[] | undefined } | undefined, path: (string | number)[], ctx: z.RefinementCtx): void {
  if (set && !set.ipv4?.length && !set.ipv6?.length) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: 'lists no address: give ipv4 and/or ipv6 entries, or remove it to allow any',
    });
  }
}

/** A validated policy with every default filled in. */
export type Policy = z.output<typeof PolicySchema>;
export type InboundService = Policy['inbound'][number];
export type OutboundService = Policy['outbound'][number];
export type { PortRange };
