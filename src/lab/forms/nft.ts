/**
 * An nftables file in the lab: checked and applied with `nft`; a native rule's line found by its text
 * (see nft-origin.ts), a chain's policy named by the file.
 */
import type { LabForm } from './form.ts';
import { clean } from './form.ts';
import { applyNft } from '../apply-nft.ts';
import { fromFile } from './restore.ts';
import { nftRuleLine } from './nft-origin.ts';

export const nftLab: LabForm<'nft'> = {
  kind: 'nft',
  writes: ['nft'],
  async apply(target, form, index) {
    return clean(await applyNft(target, fromFile(form.nft)!, index));
  },
  origin(form, asked) {
    if (asked.engine !== 'nft') return null;
    const file = fromFile(form.nft)!;
    const origin = asked.rule ? nftRuleLine(file.text, asked.nftFamily, asked.table, asked.chain, asked.rule.text) : null;
    return { file: file.source, ...(origin ? { line: origin.line } : {}) };
  },
};
