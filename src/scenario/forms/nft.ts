/**
 * `ruleset: { nft }`: a native nftables file, read at load time and checked for what fwprobe cannot apply
 * (`include`, an empty file); it needs the nft backend.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { nftFileProblems } from './nft-file.ts';
import { relativePath } from './fields.ts';
import type { InputForm } from './form.ts';

export const nftForm = {
  kind: 'nft',
  keys: ['nft'],
  label: '{ nft }',
  layer: true,
  schema: z.strictObject({
    nft: relativePath.describe('A native nftables file (nftables.conf), checked with `nft -c -f` and applied atomically with `nft -f`.'),
  }),
  plan: (input) => ({ kind: 'nft', nft: input['nft'] as string }),
  // nftables files are applied with the native `nft` tool, beside whatever iptables-nft holds; with
  // `backend: legacy` the verdict would mix two rule engines that fwprobe reads separately.
  backendProblem: (backend) =>
    backend === 'legacy'
      ? 'an nftables file needs the nft backend, found `backend: legacy`: remove `backend: legacy` ' + '(iptables-legacy tables are invisible to nft, so the verdict could not describe both)'
      : null,
  async read(plan, _at, files) {
    const nft = await files.load('nft', plan.nft);
    return nft ? { kind: 'nft', nft } : null;
  },
  finish(form, at) {
    const issues = nftFileProblems(form.nft).map((p) => ({
      path: [...at, 'nft'],
      message: `${basename(form.nft.path)}${p.line === null ? '' : `:${p.line}`}: ${p.message}`,
    }));
    return issues.length > 0 ? { issues } : { form };
  },
} satisfies InputForm<'nft', { kind: 'nft'; nft: string }>;
