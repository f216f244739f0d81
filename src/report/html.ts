/**
 * index.html: the whole run in one self-contained page for a person (a CI artifact opened in a browser):
 * IPv4/IPv6 parity findings first, since the IPv6 gap is what fwprobe exists to catch, then a line per
 * scenario, then each scenario's colour matrix and evidence. Inline CSS only, and a Content-Security-Policy
 * that forbids every fetch and script: the page works offline and cannot run anything a name smuggles in.
 */
import { HTML_STYLE } from './html-style.ts';
import { esc, RawBudget } from './html-text.ts';
import { MAX_MATRIX_ROWS, scenarioSection } from './html-scenario.ts';
import type { ResultsDocument, ScenarioEntry } from './results-document.ts';

/** Characters of raw text (XML, rulesets, counters, errors) the page holds in all. @default 4 Mi */
export const MAX_RAW_CHARS = 4 * 1024 * 1024;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

export function renderHtml(doc: ResultsDocument): string {
  const raw = new RawBudget(MAX_RAW_CHARS);
  const ids = new Map(doc.scenarios.map((s, i) => [s, `scenario-${i + 1}`]));
  const { passed, failed, error } = doc.summary;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fwprobe report: ${passed} passed, ${failed} failed, ${error} error</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
<h1>fwprobe report</h1>
<div class="meta">fwprobe ${esc(doc.fwprobe.version)} · image ${esc(doc.images.join(', ') || 'none')} · started ${esc(doc.startedAt)} · written ${esc(doc.generatedAt)}</div>
<div class="totals"><strong>${passed}</strong> passed, <strong>${failed}</strong> failed, <strong>${error}</strong> error</div>
<p class="intro">Each scenario applied its ruleset in a throwaway container with real listeners, then nmap and real clients
probed it over IPv4 and IPv6 from each vantage (loopback is inside the host; any other vantage is a machine on the
network). Below: where the two families disagree, then every scenario's ports, expected against observed.</p>
${paritySection(doc.scenarios, ids)}
${indexSection(doc.scenarios, ids)}
${legend()}
${doc.scenarios.map((s) => scenarioSection(s, ids.get(s)!, raw)).join('\n')}
</main>
</body>
</html>
`;
}

function paritySection(scenarios: readonly ScenarioEntry[], ids: Map<ScenarioEntry, string>): string {
  let count = 0;
  const groups: string[] = [];
  for (const s of scenarios) {
    const mode = s.verdict?.parityMode ?? 'report';
    const items = (s.verdict?.parity ?? []).map((f) => {
      const how = f.excusedBy !== null ? `<span class="excused"> (excused: ${esc(f.excusedBy)})</span>` : mode === 'strict' ? ' <strong>(fails: parity strict)</strong>' : '';
      return `<li class="finding${f.excusedBy !== null ? ' excused' : ''}">${esc(f.message)}${how}</li>`;
    });
    items.push(...s.staticParity.map((finding) => `<li class="finding static">in the rules: ${esc(finding)}</li>`));
    if (items.length === 0) continue;
    count += items.length;
    groups.push(`<li><a href="#${ids.get(s)}">${esc(s.name)}</a><ul class="findings">${items.join('\n')}</ul></li>`);
  }
  const body =
    groups.length > 0
      ? `<p>Ports whose IPv4 and IPv6 answers differ from the same vantage, and differences read from the rulesets themselves, per scenario:</p><ul class="groups">${groups.join('\n')}</ul>`
      : '<p>No port answered differently over IPv4 and IPv6.</p>';
  return `<section class="parity" id="parity"><h2>IPv4 / IPv6 parity findings (${count})</h2>${body}</section>`;
}

function indexSection(scenarios: readonly ScenarioEntry[], ids: Map<ScenarioEntry, string>): string {
  const rows = scenarios.map((s) => {
    const counts = [`${s.verdict?.mismatches.length ?? 0} mismatches`, `${(s.verdict?.parity ?? []).filter((f) => f.excusedBy === null).length} parity gaps`];
    return (
      `<tr><td><span class="badge ${s.status}">${s.status.toUpperCase()}</span></td><td><a href="#${ids.get(s)}">${esc(s.name)}</a></td>` +
      `<td><code>${esc(s.file)}</code></td><td>${s.status === 'error' ? esc(s.errorCode ?? 'ERROR') : counts.join(', ')}</td></tr>`
    );
  });
  return `<section id="scenarios"><h2>Scenarios (${scenarios.length})</h2><table><thead><tr><th></th><th>scenario</th><th>file</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table></section>`;
}

function legend(): string {
  return (
    `<p class="legend">Cells show the observed state, coloured by the verdict: <span class="ok">as expected</span><span class="open">OPEN, as expected</span>` +
    `<span class="exposed">EXPOSED, not expected</span><span class="mismatch">other mismatch</span><span class="missing">expected, not observed</span>` +
    `<span class="unchecked">no expectation</span> (at most ${MAX_MATRIX_ROWS} ports per scenario; hover a cell for nmap's reason).</p>`
  );
}
