/**
 * The panels at the top of index.html, in the order a reader needs them: what is exposed and was not
 * expected (one line each), then real IPv4/IPv6 differences seen by the scans, then the lint's notes read
 * from the rulesets (quieter, folded: they say what the lint could not read, not what a scan saw).
 */
import { attributionText, type Attribution } from '../model/attribution.ts';
import type { Observation, PortState } from '../model/observation.ts';
import { columnKey } from './columns.ts';
import { expectationWord } from './expectation-word.ts';
import { esc } from './html-text.ts';
import { admissionOf } from './admission.ts';
import { isUnexpectedExposure } from './matrix.ts';
import type { ScenarioEntry } from './results-document.ts';

/** Characters of a rule shown in a line; the whole text is on hover. @default 90 */
export const SHORT_RULE_CHARS = 90;

type Ids = ReadonlyMap<ScenarioEntry, string>;

/** `text` cut to `max` characters with an ellipsis. */
export function shortened(text: string, max = SHORT_RULE_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The deciding rule, short, with the whole text on hover; a dash when the run did not trace it. */
export function ruleCell(a: Attribution | undefined): string {
  if (!a) return '<span class="meta">not traced</span>';
  const full = attributionText(a);
  return `<span class="rule" title="${esc(full)}">${esc(shortened(full))}</span>`;
}

function place(x: { vantage: string; host?: string }): string {
  return x.host ? `${x.vantage} → ${x.host}` : x.vantage;
}

export function exposuresPanel(scenarios: readonly ScenarioEntry[], ids: Ids): string {
  const rows: string[] = [];
  let others = 0;
  for (const s of scenarios) {
    const link = `<a href="#${ids.get(s)}">${esc(s.name)}</a>`;
    const seen = new Map<string, Observation>(s.observations.map((o) => [`${columnKey(o)}\u0000${o.protocol}/${o.port}`, o]));
    for (const m of s.verdict?.mismatches ?? []) {
      const o = seen.get(`${columnKey(m)}\u0000${m.protocol}/${m.port}`);
      const observed = exposedWord(m.observed, m.expected, o);
      if (observed === null) others++;
      else rows.push(row(link, place(m), m.family, `${m.protocol}/${m.port}`, expectationWord(m.expected, m.protocol), observed, ruleCell(o?.attribution)));
    }
    // A sweep's summarised ports ("65530 other ports open") are exposures too, one line for the lot.
    for (const m of s.verdict?.othersMismatches ?? []) {
      const observed = exposedWord(m.observed, [m.expected], undefined);
      if (observed === null) others++;
      else rows.push(row(link, place(m), m.family, `${m.protocol} (${m.count} other ports)`, m.expected, observed, '<span class="meta">summarised by nmap</span>'));
    }
    others += s.verdict?.missing.length ?? 0;
  }
  const rest =
    others > 0
      ? `<p class="meta">${others} other reason(s) the verdicts failed that expose no port (a state the expectation did not allow, or a port not observed): in each scenario's section below.</p>`
      : '';
  // A scenario without a verdict judged nothing: "nothing answered" would be a claim no scan backs.
  const unjudged = scenarios.filter((s) => !s.verdict).length;
  const errors = unjudged > 0 ? `<p><strong>${unjudged} scenario(s) ended in error before a verdict</strong>: what their ports expose is unknown (see their sections below).</p>` : '';
  const body =
    rows.length > 0
      ? `<div class="scroll"><table class="lines"><thead><tr><th>scenario</th><th>vantage</th><th>family</th><th>port</th><th>expected</th><th>observed</th><th>deciding rule</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div>`
      : unjudged > 0
        ? ''
        : '<p>Nothing answered that the expectations did not allow.</p>';
  return `<section class="exposures" id="exposures"><h2>Exposed, not expected (${rows.length})</h2>${errors}${body}${rest}</section>`;
}

/**
 * The observed word of a mismatch that exposes a port: open or delivered where that was not expected, or
 * `closed` where the firewall let the probe through to the host's stack (admission.ts: on the real host,
 * where the service listens, that port is open) and the expectation did not allow `closed`. Null otherwise.
 */
function exposedWord(observed: PortState, expected: readonly string[], o: Observation | undefined): string | null {
  if (isUnexpectedExposure({ observed, expected: expected as PortState[] })) return observed;
  if (expected.some((e) => e === 'closed' || e === 'not-open')) return null;
  const admission = admissionOf(observed, o?.attribution, { reason: o?.reason, droppedAt: o?.droppedAt, refused: o?.evidence?.refused, ledger: o?.ledger });
  if (admission?.exposure !== 'admitted') return null;
  return `${observed} (admitted${admission.assumed ? ', assumed: no rule traced' : ''})`;
}

function row(link: string, vantage: string, family: string, port: string, expected: string, observed: string, rule: string): string {
  // The name and the rule wrap anywhere; the short words keep to one line, so the rule gets the width.
  const short = [esc(vantage), esc(family), `<code>${esc(port)}</code>`, `expected <strong>${esc(expected)}</strong>`, `<strong class="observed">${esc(observed)}</strong>`];
  return `<tr><td class="long">${link}</td>${short.map((c) => `<td class="short">${c}</td>`).join('')}<td class="long">${rule}</td></tr>`;
}

/** The scans' IPv4/IPv6 differences; excused ones stay listed, greyed, with the scenario's why. */
export function parityPanel(scenarios: readonly ScenarioEntry[], ids: Ids): string {
  let open = 0;
  let excused = 0;
  const groups: string[] = [];
  for (const s of scenarios) {
    const mode = s.verdict?.parityMode ?? 'report';
    const items = (s.verdict?.parity ?? []).map((f) => {
      if (f.excusedBy !== null) excused++;
      else open++;
      const how = f.excusedBy !== null ? `<span class="excused"> (excused: ${esc(f.excusedBy)})</span>` : mode === 'strict' ? ' <strong>(fails: parity strict)</strong>' : '';
      return `<li class="finding${f.excusedBy !== null ? ' excused' : ''}">${esc(f.message)}${how}</li>`;
    });
    if (items.length > 0) groups.push(`<li><a href="#${ids.get(s)}">${esc(s.name)}</a><ul class="findings">${items.join('\n')}</ul></li>`);
  }
  const body =
    groups.length > 0
      ? `<p>Ports whose IPv4 and IPv6 answers differ from the same vantage, per scenario:</p><ul class="groups">${groups.join('\n')}</ul>`
      : '<p>No port answered differently over IPv4 and IPv6.</p>';
  const count = excused > 0 ? `${open}, ${excused} excused` : `${open}`;
  return `<section class="parity" id="parity"><h2>IPv4 / IPv6 parity findings (${count})</h2>${body}</section>`;
}

/** What the lint read in the rulesets themselves (static parity, rules it could not analyse): folded, quiet. */
export function lintPanel(scenarios: readonly ScenarioEntry[], ids: Ids): string {
  const groups: string[] = [];
  let count = 0;
  for (const s of scenarios) {
    if (s.staticParity.length === 0) continue;
    count += s.staticParity.length;
    groups.push(`<li><a href="#${ids.get(s)}">${esc(s.name)}</a><ul class="findings">${s.staticParity.map((n) => `<li>${esc(n)}</li>`).join('\n')}</ul></li>`);
  }
  if (count === 0) return '';
  return (
    `<section class="lint" id="lint"><details><summary>Lint notes from the rulesets (${count})</summary>` +
    `<p class="meta">Read from the rule texts, not from a scan: differences between the IPv4 and IPv6 rules, and rules the lint could not analyse. The scans above judge what the rules do.</p>` +
    `<ul class="groups">${groups.join('\n')}</ul></details></section>`
  );
}
