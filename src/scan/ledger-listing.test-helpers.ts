/**
 * A ledger table as `nft -j list table inet …` prints it (nft 1.0.6, captured from the target image): the
 * metainfo, the table, each set (no `elem` key when empty), then the chains and rules, here one chain.
 */
export function ledgerJson(table: string, sets: Record<string, readonly unknown[]>): string {
  const entries: unknown[] = [
    { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } },
    { table: { family: 'inet', name: table, handle: 3 } },
    ...Object.entries(sets).map(([name, elem], i) => ({
      set: { family: 'inet', name, table, type: 'inet_service', handle: 5 + i, size: 65536, ...(elem.length > 0 ? { elem } : {}) },
    })),
    { chain: { family: 'inet', table, name: 'out_pre', handle: 1, type: 'filter', hook: 'output', prio: -450, policy: 'accept' } },
  ];
  return JSON.stringify({ nftables: entries });
}
