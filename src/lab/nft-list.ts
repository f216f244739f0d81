/**
 * How fwprobe reads every nftables table back: one place, since the apply steps, the self-check and the
 * trace all compare what they read.
 */

/** `nft -s list ruleset`: every table, stateless (no counters or quota use, which move with traffic). */
export const NFT_LIST = ['nft', '-s', 'list', 'ruleset'] as const;

/** `nft -j -s list ruleset`: the same, as JSON, which the applied-ruleset model reads structurally. */
export const NFT_JSON_LIST = ['nft', '-j', '-s', 'list', 'ruleset'] as const;
