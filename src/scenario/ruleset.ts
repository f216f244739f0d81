/**
 * The ruleset forms: picks the one the input uses, checks it is complete, and reads its files relative to
 * the scenario's folder (see `referenced-file.ts`), so that a missing, misplaced or huge file is a load
 * error rather than a failure mid-run.
 */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FieldPath, IssueList } from '../source/issues.ts';
import { readReferencedFile, type ReferenceOptions, type ReferenceProblem } from './referenced-file.ts';
import type { RulesetInput } from './schema.ts';
import type { LoadedFile, RulesetLayer, RulesetSpec, ToleranceSpec } from '../model/scenario.ts';

/** One form whose files are named but not read yet. */
export type LayerPlan =
  | { kind: 'nft'; nft: string }
  | { kind: 'ufw'; dir: string; defaults: string | null }
  | { kind: 'restore'; v4: string | null; v6: string | null }
  | { kind: 'generate'; policy: string | null; preset: string | null; params: Record<string, string> }
  | { kind: 'script'; script: string; tolerate: ToleranceSpec[]; leftoversAllowed: string | null };

/** A ruleset whose files are named but not read yet. */
export type RulesetPlan = { kind: 'none' } | { kind: 'layers'; layers: LayerPlan[] } | LayerPlan;

const FORMS = '{ none: true }, { nft }, { ufw }, { v4, v6 }, { preset, policy, params } or { script, tolerate }';

/** Classifies the (schema-valid) input and checks that it names something to apply. */
export function planRuleset(input: RulesetInput, issues: IssueList): RulesetPlan | null {
  if (Array.isArray(input)) {
    const layers = input.map((layer, i) => planLayer(layer as LayerInput, ['ruleset', i], issues));
    return layers.every((l): l is LayerPlan => l !== null) ? { kind: 'layers', layers } : null;
  }
  if ('none' in input) return { kind: 'none' };
  return planLayer(input as LayerInput, ['ruleset'], issues);
}

type LayerInput = Exclude<Exclude<RulesetInput, unknown[]>, { none: true }>;

function planLayer(input: LayerInput, at: FieldPath, issues: IssueList): LayerPlan | null {
  if ('nft' in input) return { kind: 'nft', nft: input.nft };
  if ('ufw' in input) return { kind: 'ufw', dir: input.ufw, defaults: input.defaults ?? null };
  if ('script' in input) {
    return {
      kind: 'script',
      script: input.script,
      tolerate: (input.tolerate ?? []).map((t) => ({ ...t })),
      leftoversAllowed: input.leftovers?.why ?? null,
    };
  }
  if ('v4' in input || 'v6' in input) {
    return { kind: 'restore', v4: input.v4 ?? null, v6: input.v6 ?? null };
  }
  const generate = input as Extract<LayerInput, { preset?: string }>;
  if (generate.preset === undefined && generate.policy === undefined) {
    issues.add(
      at,
      `expected exactly one form: ${FORMS}, ` +
        `found ${generate.params ? 'params without a preset or policy' : 'an empty ruleset'}`,
    );
    return null;
  }
  return {
    kind: 'generate',
    preset: generate.preset ?? null,
    policy: generate.policy ?? null,
    params: Object.fromEntries(Object.entries(generate.params ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * nftables files are applied with the native `nft` tool, beside whatever iptables-nft holds; with
 * `backend: legacy` the verdict would mix two rule engines that fwprobe reads separately, so it is refused.
 */
export function checkBackend(plan: RulesetPlan, backend: 'nft' | 'legacy', issues: IssueList): void {
  if (backend !== 'legacy') return;
  const layers: { l: RulesetPlan; at: FieldPath }[] = plan.kind === 'layers'
    ? plan.layers.map((l, i) => ({ l, at: ['ruleset', i, 'nft'] }))
    : [{ l: plan, at: ['ruleset', 'nft'] }];
  for (const { l, at } of layers) {
    if (l.kind === 'nft') {
      issues.add(at, 'an nftables file needs the nft backend, found `backend: legacy`: remove `backend: legacy` ' +
        '(iptables-legacy tables are invisible to nft, so the verdict could not describe both)');
    }
  }
}

/**
 * Reads the files the plan names, relative to `folder` (the scenario's folder, symlinks resolved), each
 * within the folder unless `allowOutside`, and within its size limit.
 */
export async function readRuleset(
  plan: RulesetPlan,
  folder: string,
  options: ReferenceOptions = {},
): Promise<{ ruleset: RulesetSpec } | { problems: ReferenceProblem[] }> {
  const problems: ReferenceProblem[] = [];
  const readLayer = async (layer: LayerPlan, at: FieldPath): Promise<RulesetLayer | null> => {
    const load = async (field: string, relative: string | null): Promise<LoadedFile | null> => {
      if (relative === null) return null;
      const read = await readReferencedFile([...at, field], relative, folder, options);
      if ('problem' in read) {
        problems.push(read.problem);
        return null;
      }
      return read.file;
    };
    switch (layer.kind) {
      case 'nft': {
        const nft = await load('nft', layer.nft);
        return nft ? { kind: 'nft', nft } : null;
      }
      case 'ufw': {
        const present = await ufwFilesIn(folder, layer.dir);
        if (present === null) {
          problems.push({ code: 'SCENARIO_FILE_MISSING', path: [...at, 'ufw'], message: `expected a folder of ufw rules files at ${layer.dir}, found none: ${UFW_FILES.join(', ')}` });
          return null;
        }
        const files = await Promise.all(present.map(async (name) => ({ name, file: await load('ufw', `${layer.dir}/${name}`) })));
        const defaults = await load('defaults', layer.defaults);
        if (files.some((f) => f.file === null) || (layer.defaults !== null && defaults === null)) return null;
        return { kind: 'ufw', dir: layer.dir, files: files.map((f) => ({ name: f.name, file: f.file! })), defaults };
      }
      case 'restore': {
        const [v4, v6] = await Promise.all([load('v4', layer.v4), load('v6', layer.v6)]);
        return { kind: 'restore', v4, v6 };
      }
      case 'generate':
        return { kind: 'generate', policy: await load('policy', layer.policy), preset: layer.preset, params: layer.params };
      case 'script': {
        const script = await load('script', layer.script);
        return script ? { kind: 'script', script, tolerate: layer.tolerate, leftoversAllowed: layer.leftoversAllowed } : null;
      }
    }
  };
  let ruleset: RulesetSpec | null;
  if (plan.kind === 'none') return { ruleset: { kind: 'none' } };
  if (plan.kind === 'layers') {
    const layers = await Promise.all(plan.layers.map((layer, i) => readLayer(layer, ['ruleset', i])));
    ruleset = layers.every((l): l is RulesetLayer => l !== null) ? { kind: 'layers', layers } : null;
  } else {
    ruleset = await readLayer(plan, ['ruleset']);
  }
  return problems.length > 0 || !ruleset ? { problems } : { ruleset };
}

/** What fwprobe copies from a ufw folder into the target's /etc/ufw; anything else there is not ufw's. */
export const UFW_FILES = ['before.rules', 'before6.rules', 'user.rules', 'user6.rules', 'after.rules', 'after6.rules', 'ufw.conf', 'sysctl.conf'] as const;

/** The ufw files the folder has (the rest keep ufw's own), or null when it has none or is no folder. */
async function ufwFilesIn(folder: string, dir: string): Promise<string[] | null> {
  // Each file is then read through the same path and size checks as any other the scenario names.
  const names = await readdir(resolve(folder, dir)).catch(() => null);
  const present = (names ?? []).filter((n) => (UFW_FILES as readonly string[]).includes(n));
  return present.some((n) => n.endsWith('.rules')) ? present.sort() : null;
}
