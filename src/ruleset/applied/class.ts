/**
 * The classes a match can fall in, and the context a class may depend on. *varied*: the clients try
 * values that pass it and values that do not. *neutral*: it cannot let in a packet the same rule without it
 * would not, nor keep out one the clients' packets showed kept out. *rate*: it depends on rate, history or
 * chance, which the rate-dependent confirmation varies (slow, separate clients). *unvaried*: the verdict
 * rests on something no client varied, so it is unverified until the scenario acknowledges it.
 */

export type MatchClass = 'varied' | 'neutral' | 'rate' | 'unvaried';

/** What a rule does to the packets it matches, as far as a match's class depends on it. */
export type Polarity = 'accept' | 'drop' | 'other';

export interface OptionContext {
  negated: boolean;
  args: string[];
  polarity: Polarity;
  /** Every option of the same match (`--tcp-flags` reads its mask and comparison from its args). */
  siblings: { name: string; args: string[]; negated: boolean }[];
}

/** A class, or a rule that picks one from the option's arguments and the rule's polarity. */
export type Classifier = MatchClass | ((ctx: OptionContext) => MatchClass);

/** How one match module (or nft expression) is classified, option by option. */
export interface ModuleEntry {
  /** The class of the module written with no option (`-m hbh`). */
  bare: Classifier;
  /** Each option's class; an option not listed here is unvaried (fail closed). Absent: every option is `bare`. */
  options?: Record<string, Classifier>;
  /** Why, for the reader of the table. */
  why: string;
}

/**
 * For a header the clients' packets never carry (a routing header, a fragment, IP options): a DROP keyed on
 * its presence never met a client's packet and only drops more, so it is neutral; anything else that keys
 * on it is unvaried.
 */
export const absentFromClients: Classifier = (ctx) => (ctx.polarity === 'drop' && !ctx.negated ? 'neutral' : 'unvaried');

/** The worst of several classes: unvaried over rate over varied over neutral. */
export function worst(classes: readonly MatchClass[]): MatchClass {
  for (const c of ['unvaried', 'rate', 'varied'] as const) if (classes.includes(c)) return c;
  return 'neutral';
}
