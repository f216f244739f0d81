/**
 * Text into HTML: everything in the report that came from a user (a scenario's name, a path, a ruleset, an
 * error, nmap's XML) is escaped here and nowhere else, so a name like `<script>` is shown, never run.
 */
import { printable } from '../model/printable.ts';

/** Escaped for an element's content or a quoted attribute; control characters shown as `\x1b`. */
export function esc(text: string): string {
  return printable(text, { multiline: true }).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/**
 * A share of the page for raw texts (XML, rulesets, counters): each block takes what it needs while the
 * budget lasts, so a run of many sweeps cannot make the page too large to open.
 */
export class RawBudget {
  #left: number;

  constructor(chars: number) {
    this.#left = chars;
  }

  /** A <pre> of `text`, or a line saying it is left out (and where to find it). */
  pre(text: string): string {
    if (text.length > this.#left) return '<p class="meta">Left out here to keep this page small: see results.json.</p>';
    this.#left -= text.length;
    return `<pre>${esc(text)}</pre>`;
  }
}
