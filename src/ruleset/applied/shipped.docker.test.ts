/**
 * The checked-in lists of what the image ships (shipped.test-helpers.ts) are the image's own: its
 * xtables extensions and its libnftables-json(5). When the image's iptables or nft changes, this fails
 * until the lists, and so the classification test, are brought up to date.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { FwprobeContainer, type StartedFwprobeContainer } from '../../lab/container.ts';
import { documentedTypes, NFT_DOC_EXPRESSIONS, NFT_DOC_META_KEYS, NFT_DOC_STATEMENTS, XT_EXTENSIONS } from './shipped.test-helpers.ts';

let container: StartedFwprobeContainer;
beforeAll(async () => {
  container = await new FwprobeContainer(inject('fwprobeImage')).start();
});
afterAll(async () => {
  await container?.remove();
});

it('lists every iptables extension the image ships', async () => {
  const listed = await container.runOk(['sh', '-c', 'ls /usr/lib/x86_64-linux-gnu/xtables/']);
  const ours = listed
    .split('\n')
    .filter((f) => /^lib(xt|ipt|ip6t)_.*\.so$/.test(f))
    .map((f) => f.slice(0, -3))
    .sort();
  expect(ours).toEqual([...XT_EXTENSIONS].sort());
});

it("lists every type the image's libnftables-json(5) documents", async () => {
  const man = await container.runOk(['sh', '-c', 'zcat /usr/share/man/man5/libnftables-json.5.gz']);
  expect(documentedTypes(man)).toEqual({ statements: NFT_DOC_STATEMENTS, expressions: NFT_DOC_EXPRESSIONS, metaKeys: NFT_DOC_META_KEYS });
});
