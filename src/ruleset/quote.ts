/** Quoting of rule tokens for the two output forms. Values are validated upstream; this is the second guard. */
import { InternalError } from '../model/errors.ts';

// The shell quoter is shared with error messages and the CLI.
export { shellWord } from '../model/shell-word.ts';

/**
 * A token as iptables-restore reads it: bare unless it has whitespace or is empty, then double-quoted.
 * iptables-restore has no escape for every character, so a quote, backslash or newline is refused.
 */
export function restoreWord(token: string): string {
  if (/["\\\n\r]/.test(token)) throw new InternalError(`token ${JSON.stringify(token)} cannot be written to a restore file`);
  return token === '' || /\s/.test(token) ? `"${token}"` : token;
}

/** Text safe for one `#` comment line in either output: control characters become spaces. */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ');
}
