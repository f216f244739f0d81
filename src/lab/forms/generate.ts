/**
 * Generated rules in the lab: the restore texts generated at load time, applied like restore files; a rule's
 * origin is its line in the generated text with the policy field or preset step written above it.
 */
import { generateScenarioRules } from '../../ruleset/generate-entry.ts';
import { applyRestore } from '../apply-ruleset.ts';
import { clean, type LabForm } from './form.ts';
import { restoreOrigin } from './restore.ts';

export const generateLab: LabForm<'generate'> = {
  kind: 'generate',
  writes: ['iptables'],
  apply: async (target, form) => clean(await applyRestore(target, form.generated ?? generateScenarioRules(form))),
  origin(form, asked) {
    if (asked.engine !== 'iptables') return null;
    const generated = form.generated ?? generateScenarioRules(form);
    return restoreOrigin(asked.family === 'ipv4' ? generated.v4 : generated.v6, asked, true);
  },
};
