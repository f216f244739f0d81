/**
 * `sources:` in a scenario: which attacker-shaped sources the peer's client probes come from, which source
 * ports every source tries, and which public-looking subnets the outside network uses (to stand in a
 * partner's range, for example). Narrowing is allowed, but never to nothing.
 */
import { ipVersion as isIP } from '../model/ip.ts';
import { z } from 'zod';
import { DEFAULT_SOURCES, type SourcesSpec } from '../model/scenario.ts';
import { list } from './schema-fields.ts';

function cidr(family: 4 | 6, minPrefix: number, maxPrefix: number) {
  return z.string().refine(
    (value) => {
      const [address, prefix] = value.split('/');
      const length = Number(prefix);
      return isIP(address ?? '') === family && Number.isInteger(length) && length >= minPrefix && length <= maxPrefix;
    },
    { error: `expected an IPv${family} subnet with a prefix from /${minPrefix} to /${maxPrefix}, like ${family === 4 ? '203.0.113.16/28' : '3fff:1::/64'}` },
  );
}

export const sourcesSchema = z
  .strictObject({
    peer: list(z.enum(['lab', 'public']))
      .min(1)
      .optional()
      .describe("The peer's sources: its private lab address, its public-looking outside address. Default: both."),
    ports: list(z.union([z.literal('random'), z.number().int().min(1).max(65535)]))
      .min(1)
      .max(32)
      .optional()
      .describe('Source ports every client source tries. Default: random, 20, 53, 67, 80, 88, 123, 443.'),
    outside: z
      .strictObject({ ipv4: cidr(4, 16, 29).optional(), ipv6: cidr(6, 48, 64).optional() })
      .optional()
      .describe('Subnets of the outside network. Default: a /28 of 198.51.100.0/24 or 203.0.113.0/24, a /64 of 3fff::/20.'),
    unvaried: list(z.strictObject({ match: z.string().regex(/^[a-z0-9 ]+$/), why: z.string().trim().min(1) }))
      .optional()
      .describe('Rule matches the clients do not vary (dscp, length, ttl, time…) that this scenario accepts, each with why.'),
  })
  .describe('Where client probes come from (see README: what backs a "not open" verdict).');

export function normaliseSources(input: z.output<typeof sourcesSchema> | undefined): SourcesSpec {
  const ports = input?.ports?.map((p) => (p === 'random' ? 0 : p)) ?? [...DEFAULT_SOURCES.ports];
  return {
    peer: input?.peer ? [...new Set(input.peer)] : [...DEFAULT_SOURCES.peer],
    ports: [...new Set(ports)],
    outside: { ipv4: input?.outside?.ipv4 ?? null, ipv6: input?.outside?.ipv6 ?? null },
    unvaried: (input?.unvaried ?? []).map((u) => ({ ...u })),
  };
}
