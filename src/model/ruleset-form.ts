/**
 * The contract every ruleset form keeps, on both sides: what identifies it in the input (its keys) and,
 * once read, the one typed value the lab applies and asks "where did this rule come from?". The input side
 * (scenario/forms/) and the lab side (lab/forms/) each hold one table keyed by `FormKind`, so a form added
 * to `RulesetLayer` (model/scenario.ts) without its two modules is a compile error.
 */
import type { AttributionSource } from './attribution.ts';
import type { Family } from './observation.ts';
import type { RulesetSpec } from './scenario.ts';

/** One form as the lab holds it: a layer, or `none`. */
export type FormSpec = Exclude<RulesetSpec, { kind: 'layers' }>;

/** Every form's name: `none`, `nft`, `ufw`, `restore`, `generate`, `script`. */
export type FormKind = FormSpec['kind'];

/** The spec of one form kind. */
export type FormOf<K extends FormKind> = Extract<FormSpec, { kind: K }>;

/** What both sides of a form share: its name and the input keys that pick it. */
export interface RulesetForm<K extends FormKind = FormKind> {
  kind: K;
  /** The input fields of this form; the first identifies it (`ufw` in `{ ufw, defaults }`). */
  keys: readonly string[];
  /** How error messages and the schema's description name the form: `{ ufw, defaults }`. */
  label: string;
}

/** Which rule engine's tables a form writes: iptables' (any backend) or native nft tables. */
export type RuleEngine = 'iptables' | 'nft';

/**
 * A rule or chain policy the kernel holds, as attribution asks a form about it. For `iptables`, `position`
 * counts the chain's rules without fwprobe's own trace rules, and `rules` is how many such rules it has.
 */
export type RuleInKernel =
  | { engine: 'iptables'; family: Family; table: string; chain: string; rule: { position: number; rules: number; text: string } | null }
  | { engine: 'nft'; nftFamily: string; table: string; chain: string; rule: { text: string } | null };

/** Where a rule or policy came from, by the form that wrote it; null where the form cannot tell. */
export type RuleOriginOf<K extends FormKind> = (form: FormOf<K>, asked: RuleInKernel) => AttributionSource | null;
