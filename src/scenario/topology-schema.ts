/**
 * The topology fields of a scenario: `networks` (named, with the user's subnets), `target` (its role and
 * its interfaces in order), `peers` (named, each on a network) and `behind` (hosts a routing target
 * protects). Shapes only; `topology.ts` resolves names and addresses.
 */
import { z, type ZodType } from 'zod';
import { list } from './schema-fields.ts';
import { ipVersion as isIP } from '../model/ip.ts';
import { overlaps, parseSubnet } from '../model/subnet.ts';

/** Network, peer and host names: short, lower case, safe in ids, labels and file names. */
export const labNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, { error: 'expected a name of lower-case letters, digits, - and _ (up to 31), starting with a letter' });

/** Linux interface names: up to 15 characters, no slash, space or colon. */
const interfaceNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/, { error: 'expected an interface name like eth0 (a letter, then letters, digits, ., -, _; up to 15)' })
  .refine((name) => name !== 'lo', { error: 'lo is the loopback interface, always present: name another' });

/**
 * Address space a lab network may not use: on a real network these are never a host's unicast address on
 * a link (this host, loopback, multicast, reserved, broadcast; IPv6 unspecified, loopback, IPv4-mapped and
 * -compatible, link-local, multicast). A lab built on them scans something else: a peer whose target is
 * `127.0.0.1` or `::1` reaches its own loopback, not the target.
 */
const SPECIAL = { 4: ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'], 6: ['::/8', 'fe80::/10', 'ff00::/8'] } as const;

/** A subnet of one family with a prefix in range, outside SPECIAL; `typeError` is the message when it is missing or not text. */
export function subnetSchema(family: 4 | 6, minPrefix: number, maxPrefix: number, example: string, typeError?: string) {
  return z
    .string(typeError === undefined ? undefined : { error: typeError })
    .refine(
      (value) => {
        const [address, prefix, extra] = value.split('/');
        const length = Number(prefix);
        return extra === undefined && isIP(address ?? '') === family && Number.isInteger(length) && length >= minPrefix && length <= maxPrefix;
      },
      // abort: the unicast check below parses the subnet, and a value that is none must not reach it.
      { error: `expected an IPv${family} subnet with a prefix from /${minPrefix} to /${maxPrefix}, like ${example}`, abort: true },
    )
    .refine((value) => !isIP(value.split('/')[0] ?? '') || !SPECIAL[family].some((special) => overlaps(parseSubnet(special), parseSubnet(value))), {
      error: `expected a unicast subnet outside ${SPECIAL[family].join(', ')}: those are no host's address on a link`,
    });
}

const address = (family: 4 | 6) => z.string().refine((value) => isIP(value) === family, { error: `expected an IPv${family} address without a prefix` });

/** Each list is bounded: every entry is a container, a bridge or a veth pair on the user's machine. */
const MAX = { networks: 8, interfaces: 8, peers: 8, behind: 8 };

function atMost<T extends z.ZodType>(schema: T, max: number, what: string) {
  return schema.refine((value) => Object.keys(value as object).length <= max, { error: `expected at most ${max} ${what}` });
}

export const networksSchema = atMost(
  z.record(
    labNameSchema,
    z.strictObject({
      ipv4: subnetSchema(4, 8, 29, '192.168.10.0/24').optional().describe('Default: a free /24 of 10.213.0.0/16.'),
      ipv6: subnetSchema(6, 48, 120, 'fd10::/64').optional().describe('Default: a /64 of fd00:f3b0::/32.'),
    }),
  ),
  MAX.networks,
  'networks',
).describe('Named lab networks with the subnets your ruleset names. Internal: no route out, nothing of the host on them.');

const attachmentFields = {
  ipv4: address(4).optional().describe('Default: the next free address of the network.'),
  ipv6: address(6).optional().describe('Default: the next free address of the network.'),
};

export const targetSchema = z
  .strictObject({
    role: z.enum(['host', 'router']).optional().describe("'router': IP forwarding on, and `behind` hosts reached through it. Default: host."),
    interfaces: list(
      z.strictObject({
        network: labNameSchema,
        name: interfaceNameSchema.optional().describe('Default: eth0, eth1, … in this order.'),
        ...attachmentFields,
      }),
    )
      .min(1)
      .max(MAX.interfaces)
      .optional()
      .describe("The target's interfaces in order. Default: one per network, eth0, eth1, … in the order of `networks`."),
  })
  .describe('The target: its role and its interfaces.');

export const peersSchema = atMost(z.record(labNameSchema, z.strictObject({ network: labNameSchema, ...attachmentFields })), MAX.peers, 'peers').describe(
  'Named peers, each on one network; each is a vantage scanning the target (and hosts behind it).',
);

/** `behind` needs the service shape of `schema.ts`, which imports this file: it is passed in. */
export function behindSchemaFor<T extends ZodType>(service: T) {
  const hosts = z.record(
    labNameSchema,
    z.strictObject({
      network: labNameSchema,
      ...attachmentFields,
      services: list(service).min(1).describe('Ports this host listens on.'),
    }),
  );
  return atMost(hosts, MAX.behind, 'hosts behind the target').describe('Hosts on an inner network, reached by peers only through a target with role router.');
}

export type NetworksInput = z.output<typeof networksSchema>;
export type TargetInput = z.output<typeof targetSchema>;
export type PeersInput = z.output<typeof peersSchema>;
