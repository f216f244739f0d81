/**
 * Text from users (a scenario's name, a file path, a script line, an error quoting them) ends up on a
 * terminal and in CI logs. A control character there is an instruction, not text: an ANSI escape can
 * recolour, hide or overwrite what came before (a "PASSED" printed over a "FAILED"), a carriage return can
 * rewrite the line. The schema rejects them where a scenario describes itself; everything printed goes
 * through `printable`, for whatever slips through (a file name, a script's line, a reason).
 */

/** C0 controls, DEL and C1 controls: the characters that `name` may not hold. */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Controls, plus the bidirectional overrides and isolates that reorder what a reader sees. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'bell',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x9b: 'CSI',
};

/**
 * The first control character of `text` that `allowed` does not list, described for a message
 * ("U+001B (escape) at character 5"), or null.
 */
export function controlCharacterProblem(text: string, allowed = ''): string | null {
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (!CONTROL_CHARACTERS.test(char) || allowed.includes(char)) continue;
    const code = char.charCodeAt(0);
    const name = NAMES[code] ?? (code < 0x80 ? 'a control character' : 'a C1 control character');
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')} (${name}) at character ${i + 1}`;
  }
  return null;
}

export interface PrintableOptions {
  /**
   * Keep line feeds and tabs (a multi-line message); otherwise they are escaped too (a name, a path, a cell).
   * @default false
   */
  multiline?: boolean;
}

/**
 * `text` safe to print: every control character (and bidi override) written as an escape (`\x1b`,
 * `\u202e`), visible and inert. Idempotent: what it returns has nothing left to escape.
 */
export function printable(text: string, options: PrintableOptions = {}): string {
  return text.replace(UNPRINTABLE, (char) => {
    if (options.multiline && (char === '\n' || char === '\t')) return char;
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\t') return '\\t';
    if (char === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
