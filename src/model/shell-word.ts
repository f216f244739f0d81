/**
 * A word as POSIX sh reads it back: the one shell quoter, for generated scripts, commands shown in errors
 * and commands suggested to the user.
 */

const SHELL_PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `token` bare when plain (or the lone `!`), otherwise single-quoted. */
export function shellWord(token: string): string {
  if (token === '!' || SHELL_PLAIN.test(token)) return token;
  return `'${token.replaceAll("'", `'\\''`)}'`;
}
