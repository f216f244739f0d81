/**
 * Restore files in the lab: applied with iptables-restore / ip6tables-restore (which read the tables back),
 * and a rule's line found by its place in the file (see ruleset/rule-origin.ts).
 */
import { relative } from 'node:path';
import type { AttributionSource } from '../../model/attribution.ts';
import type { RulesetText } from '../../model/ruleset.ts';
import type { RuleInKernel } from '../../model/ruleset-form.ts';
import type { LoadedFile } from '../../model/scenario.ts';
import { policyLine, ruleLine } from './restore-origin.ts';
import { applyRestore } from '../apply-ruleset.ts';
import { clean, type LabForm } from './form.ts';

export const restoreLab: LabForm<'restore'> = {
  kind: 'restore',
  writes: ['iptables'],
  apply: async (target, form) => clean(await applyRestore(target, { v4: fromFile(form.v4), v6: fromFile(form.v6) })),
  origin: (form, asked) => (asked.engine === 'iptables' ? restoreOrigin(fromFile(asked.family === 'ipv4' ? form.v4 : form.v6), asked) : null),
};

/** The line of a restore text that wrote a rule or set a policy; `withComment` keeps the generator's `# …` above it. */
export function restoreOrigin(text: RulesetText | null, asked: Extract<RuleInKernel, { engine: 'iptables' }>, withComment = false): AttributionSource | null {
  if (!text) return null;
  const origin = asked.rule ? ruleLine(text.text, asked.table, asked.chain, asked.rule.position, asked.rule.rules) : policyLine(text.text, asked.table, asked.chain);
  if (!origin) return null;
  return { file: text.source, line: origin.line, ...(withComment && origin.comment ? { origin: origin.comment } : {}) };
}

export function fromFile(file: LoadedFile | null): RulesetText | null {
  return file ? { source: relative(process.cwd(), file.path), text: file.text } : null;
}
