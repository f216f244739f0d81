/**
 * The scenario input shape: what a user writes in `*.scenario.yaml` or passes to `defineScenario`. Every
 * object is strict, so a misspelt field is an error rather than a silently ignored line. Cross-field rules
 * (duplicates, conflicts, exactly one ruleset form) are checked by `normalise.ts`, which also turns this
 * shape into the runner's `Scenario` (see `types.ts`).
 */
import { z } from 'zod';
import { portRefProblem, portSpecProblem, TOP_PATTERN } from '../model/ports.ts';
import { list, printedText } from './schema-fields.ts';
import { sourcesSchema } from './sources-schema.ts';
import { dockerSchema } from './docker-schema.ts';
import { formsText, inputForms } from './forms/index.ts';
import { reasonSchema } from './forms/fields.ts';
import { behindSchemaFor, labNameSchema, networksSchema, peersSchema, targetSchema } from './topology-schema.ts';

const PORT_NUMBER_MESSAGE = 'expected a port number 1-65535';

const portNumber = z.number({ error: PORT_NUMBER_MESSAGE }).int({ error: PORT_NUMBER_MESSAGE }).min(1, { error: PORT_NUMBER_MESSAGE }).max(65535, { error: PORT_NUMBER_MESSAGE });

function checkedString(problem: (s: string) => string | null, pattern: string, description: string) {
  return z
    .string()
    .superRefine((s, ctx) => {
      const message = problem(s);
      if (message) ctx.addIssue({ code: 'custom', message });
    })
    .meta({ pattern, description });
}

const portSpecString = checkedString(portSpecProblem, '^\\d+(-\\d+)?$', 'A port ("22") or range ("1000-1010").');

/** A port: `22`, `"22"` or a range `"1000-1010"`. */
export const portSpecSchema = z.union([portNumber, portSpecString], {
  error: 'expected a port 1-65535 or a range like "1000-1010"',
});

/** A port with its protocol: `"22/tcp"`, `"1000-1010/udp"`. */
export const portRefSchema = checkedString(portRefProblem, '^\\d+(-\\d+)?/(tcp|udp)$', 'A port or range with its protocol: "22/tcp", "1000-1010/udp".');

const familySchema = z.enum(['ipv4', 'ipv6']);
const protocolSchema = z.enum(['tcp', 'udp']);
const vantageSchema = labNameSchema.describe("'loopback' or a peer's name ('peer' is the default peer).");

const serviceObjectSchema = z.strictObject({
  port: portSpecSchema.describe('Port or range the service listens on.'),
  protocol: protocolSchema,
  families: list(familySchema).min(1).optional().describe('Families the service listens on. Default: both (one dual-stack socket).'),
  bind: z.string().min(1).optional().describe("'any' (dual-stack), 'any4', 'any6' or a literal address. Default: derived from families (both → any)."),
});

export const serviceSchema = z.union([portRefSchema, serviceObjectSchema], {
  error: 'expected "22/tcp", "1000-1010/udp" or { port, protocol, families?, bind? }',
});

/** The ruleset forms, each keyed by the fields that identify it (the table in forms/index.ts). */
export const rulesetForms = inputForms;

const layerForms = inputForms.filter((form) => form.layer);

/** Every form that may be a layer, for one item of a list. */
const layerSchema = z.union(
  layerForms.map((form) => form.schema),
  { error: `expected one form per layer: ${formsText(layerForms)}` },
);

export const rulesetSchema = z
  .union([...inputForms.map((form) => form.schema), list(layerSchema).min(2, { error: 'expected at least two layers in a ruleset list: write a single form without the list' })], {
    error: `expected exactly one form: ${formsText()}, or a list of at least two of them (layers, applied in order)`,
  })
  .describe(`Exactly one form: ${formsText()}; or a list of forms applied in the order written (e.g. Docker's iptables ` + 'rules, then your nftables file): their tables coexist, as on a real host.');

const scanItemString = checkedString(
  (s) => (s === 'all' || TOP_PATTERN.test(s) ? topProblem(s) : portSpecProblem(s)),
  '^(all|top-\\d+|\\d+(-\\d+)?)$',
  'A port, a range, "all" (1-65535) or "top-N" (nmap\'s N most common ports).',
);

function topProblem(s: string): string | null {
  const m = TOP_PATTERN.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 65535 ? null : 'expected top-N with N in 1-65535';
}

const portSelectionSchema = z.union([scanItemString, list(z.union([portNumber, scanItemString]))], {
  error: 'expected "all", "top-N" or a list of ports and ranges',
});

const othersSchema = z.enum(['open', 'closed', 'filtered', 'unreachable', 'not-open']).describe('The expected category for every other scanned port of this protocol.');

const protocolExpectSchema = z.strictObject({
  open: list(portSpecSchema).optional(),
  closed: list(portSpecSchema).optional(),
  filtered: list(portSpecSchema).optional(),
  unreachable: list(portSpecSchema).optional(),
  delivered: list(portSpecSchema).optional().describe('UDP only: the listener receives the datagram and no answer comes back (a syslog or SNMP-trap receiver behind egress filtering).'),
  others: othersSchema.optional(),
});

const familyExpectSchema = z.strictObject({
  tcp: protocolExpectSchema.optional(),
  udp: protocolExpectSchema.optional(),
});

const hostExpectSchema = z.strictObject({
  ipv4: familyExpectSchema.optional(),
  ipv6: familyExpectSchema.optional(),
  both: familyExpectSchema.optional().describe('Shorthand for the same lists on ipv4 and ipv6.'),
  exposed: list(portRefSchema).optional().describe('Open from this peer on both families; every other scanned port of this host: not open.'),
});

const vantageExpectSchema = hostExpectSchema.extend({
  behind: z.record(labNameSchema, hostExpectSchema).optional().describe('Expectations for hosts behind the target (see `behind`), scanned from this peer through the target.'),
});

const expectSchema = z
  .record(z.string(), z.union([list(portRefSchema), vantageExpectSchema]))
  .superRefine((value, ctx) => {
    for (const [key, item] of Object.entries(value)) {
      if ((key === 'exposed') !== Array.isArray(item)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: key === 'exposed' ? 'expected a list of ports like "22/tcp"' : `expected expectations for the vantage ${key} ({ ipv4, ipv6, both, exposed, behind })`,
        });
      }
    }
  })
  .describe(
    'Expectations per vantage: `loopback`, or a peer by name (`peer` for the default peer); `exposed`: open from every peer on both families, every other scanned target port from the peers not open.',
  );

const parityModeSchema = z.enum(['strict', 'report', 'off']);

const parityExceptionSchema = z.strictObject({
  port: portRefSchema,
  vantage: z.enum(['loopback', 'peer', 'all']).optional().describe("Default: 'all'."),
  why: reasonSchema('IPv4 and IPv6 may differ here'),
});

const paritySchema = z.union(
  [
    parityModeSchema,
    z.strictObject({
      mode: parityModeSchema.optional().describe("Default: 'strict'."),
      exceptions: list(parityExceptionSchema).optional(),
    }),
  ],
  { error: 'expected strict, report, off or { mode, exceptions }' },
);

export const scenarioInputSchema = z
  .strictObject({
    name: printedText('name', 'expected a non-empty name', '', 'a name is printed as one line').trim().min(1, { error: 'expected a non-empty name' }),
    description: printedText('description', 'expected a string', '\n\t', 'line breaks and tabs are fine').optional().describe('What the scenario proves; may span lines.'),
    services: list(serviceSchema).optional().describe('Ports the target listens on.'),
    ruleset: rulesetSchema,
    docker: dockerSchema.optional(),
    paths: z
      .strictObject({
        allowOutside: z.boolean().optional().describe("Let ruleset, policy and script paths lead outside the scenario's folder. Default: false."),
      })
      .optional()
      .describe("Where the files a scenario names may be. Default: inside the scenario's folder (symlinks resolved)."),
    backend: z.enum(['nft', 'legacy']).optional().describe("iptables backend. Default: 'nft'."),
    vantages: list(vantageSchema).min(1).optional().describe('Default: loopback and every peer.'),
    networks: networksSchema.optional(),
    target: targetSchema.optional(),
    peers: peersSchema.optional(),
    behind: behindSchemaFor(serviceSchema).optional(),
    ports: z.strictObject({ tcp: portSelectionSchema.optional(), udp: portSelectionSchema.optional() }).optional().describe('Ports to scan beyond the services and the ports named in expectations.'),
    expect: expectSchema.optional(),
    parity: paritySchema
      .optional()
      .describe(
        "IPv4/IPv6 parity check. Default: 'strict': a port whose IPv4 and IPv6 readings differ fails the scenario unless an exception excuses it with a why. " +
          "'report' lists the differences without failing (say why in a comment: the gap is the point); 'off' skips the check.",
      ),
    sources: sourcesSchema.optional(),
    attribution: z.boolean().optional().describe('After the scans, trace one client per port of interest and name the rule or policy that decided it. Default: true.'),
  })
  .describe('An fwprobe scenario: services, a ruleset, and what must be observed from each vantage.');

/** What a user writes: the YAML document or the argument of `defineScenario`. */
export type ScenarioInput = z.input<typeof scenarioInputSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;
export type RulesetInput = z.input<typeof rulesetSchema>;
export type ProtocolExpectInput = z.input<typeof protocolExpectSchema>;
export type HostExpectInput = z.output<typeof hostExpectSchema>;
export type VantageExpectInput = z.output<typeof vantageExpectSchema>;
export type BehindInput = NonNullable<z.output<typeof scenarioInputSchema>['behind']>;
