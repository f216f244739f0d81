/** Hostile YAML shared by the tests of the parser's limits and of the loaders that use it. */

/** Nine lists, each of nine aliases of the one before: 9^9 values once expanded. The 7th line crosses the limit. */
export const BILLION_LAUGHS = [
  'name: x',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => {
    const p = 'abcdefgh'[i];
    return `${c}: &${c} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`;
  }),
].join('\n');
