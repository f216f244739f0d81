/** The preset registry: names, parameters with defaults and checks, and the builders. */
import { PresetError } from '../../model/errors.ts';
import type { RulesetIR } from '../ir.ts';
import { checkAddress, checkInterface, type Problem } from '../values.ts';
import { book2007, book2009, type BookParams } from './book.ts';

export interface PresetParam {
  name: string;
  /** Used when the caller does not give the parameter. */
  default: string;
  description: string;
  check: (value: string) => Problem;
}

export interface Preset {
  name: string;
  description: string;
  params: PresetParam[];
  build: (params: Record<string, string>) => Omit<RulesetIR, 'source'>;
}

const BOOK_PARAMS: PresetParam[] = [
  {
    name: 'internal_interface',
    default: 'eth0',
    description: 'the internal interface (eth1 in the book)',
    check: checkInterface,
  },
  {
    name: 'int_net',
    default: '192.168.10.0/24',
    description: "the internal IPv4 net, the book's INT_NET",
    check: (v) => checkAddress(v, 'ipv4'),
  },
];

function bookParams(params: Record<string, string>): BookParams {
  return { iface: params['internal_interface'] ?? 'eth0', intNet: params['int_net'] ?? '192.168.10.0/24' };
}

const PRESETS: Preset[] = [
  {
    name: 'book-2007',
    description: "the book's iptables.sh: DROP policies, no loopback ACCEPT, nothing for IPv6",
    params: BOOK_PARAMS,
    build: (params) => book2007(bookParams(params)),
  },
  {
    name: 'book-2009',
    description: 'the 2009 update: loopback ACCEPT after the LOG rules, ip6tables policies DROP',
    params: BOOK_PARAMS,
    build: (params) => book2009(bookParams(params)),
  },
];

export function listPresets(): string[] {
  return PRESETS.map((p) => p.name);
}

export function getPreset(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new PresetError(`Unknown preset "${name}". Valid presets: ${listPresets().join(', ')}.`);
  return preset;
}

/** Checks the caller's parameters and fills in defaults. Unknown names and bad values are errors. */
export function resolvePresetParams(preset: Preset, given: Record<string, string>): Record<string, string> {
  const valid = preset.params.map((p) => p.name);
  const unknown = Object.keys(given).filter((k) => !valid.includes(k));
  if (unknown.length > 0) {
    throw new PresetError(
      `Unknown parameter ${unknown.map((k) => `"${k}"`).join(', ')} for preset ${preset.name}. ` +
        `Valid parameters: ${preset.params.map((p) => `${p.name} (${p.description}, default ${p.default})`).join('; ')}.`,
      'params',
    );
  }
  const resolved: Record<string, string> = {};
  for (const param of preset.params) {
    const value = given[param.name] ?? param.default;
    const problem = param.check(value);
    if (problem) throw new PresetError(`Preset ${preset.name}, parameter ${param.name}: ${problem}.`, 'params');
    resolved[param.name] = value;
  }
  return resolved;
}
