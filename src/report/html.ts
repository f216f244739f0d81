/**
 * index.html: the whole run in one self-contained page for a person (a CI artifact opened in a browser):
 * what is exposed and was not expected first (one line each), then the IPv4/IPv6 differences the scans saw,
 * a line per scenario, the lint's notes folded away, then each scenario's colour matrix and evidence. Inline CSS only, and a Content-Security-Policy
 * that forbids every fetch and script: the page works offline and cannot run anything a name smuggles in.
 */
import { exposuresPanel, lintPanel, parityPanel } from './html-panels.ts';
import { HTML_STYLE } from './html-style.ts';
import { esc, RawBudget } from './html-text.ts';
import { MAX_MATRIX_ROWS, scenarioSection } from './html-scenario.ts';
import { interruptedText, type ResultsDocument, type ScenarioEntry } from './results-document.ts';

/** Characters of raw text (XML, rulesets, counters, errors) the page holds in all. @default 4 Mi */
export const MAX_RAW_CHARS = 4 * 1024 * 1024;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

export function renderHtml(doc: ResultsDocument): string {
  const raw = new RawBudget(MAX_RAW_CHARS);
  const ids = new Map(doc.scenarios.map((s, i) => [s, `scenario-${i + 1}`]));
  const { passed, failed, error } = doc.summary;
  const stopped = interruptedText(doc);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fwprobe report${stopped ? ' (interrupted)' : ''}: ${passed} passed, ${failed} failed, ${error} error</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
<h1>fwprobe report</h1>
<div class="meta">fwprobe ${esc(doc.fwprobe.version)} · image ${esc(doc.images.join(', ') || 'none')} · started ${esc(doc.startedAt)} · written ${esc(doc.generatedAt)}</div>
${stopped ? `<div class="interrupted" role="alert">${esc(stopped)}</div>\n` : ''}<div class="totals"><strong>${passed}</strong> passed, <strong>${failed}</strong> failed, <strong>${error}</strong> error</div>
<p class="intro">Each scenario applied its ruleset in a throwaway container with real listeners, then nmap and real clients
probed it over IPv4 and IPv6 from each vantage (loopback is inside the host; any other vantage is a machine on the
network). Below: what answered that was not expected, where the two families disagree, then every scenario's ports.</p>
${exposuresPanel(doc.scenarios, ids)}
${parityPanel(doc.scenarios, ids)}
${indexSection(doc.scenarios, ids)}
${lintPanel(doc.scenarios, ids)}
${legend()}
${doc.scenarios.map((s) => scenarioSection(s, ids.get(s)!, raw)).join('\n')}
</main>
</body>
</html>
`;
}

function indexSection(scenarios: readonly ScenarioEntry[], ids: Map<ScenarioEntry, string>): string {
  const rows = scenarios.map((s) => {
    const counts = [`${s.verdict?.mismatches.length ?? 0} mismatches`, `${(s.verdict?.parity ?? []).filter((f) => f.excusedBy === null).length} parity gaps`];
    return (
      `<tr><td><span class="badge ${s.status}">${s.status.toUpperCase()}</span></td><td><a href="#${ids.get(s)}">${esc(s.name)}</a></td>` +
      `<td><code>${esc(s.file)}</code></td><td>${s.status === 'error' ? esc(s.errorCode ?? 'ERROR') : counts.join(', ')}</td></tr>`
    );
  });
  return `<section id="scenarios"><h2>Scenarios (${scenarios.length})</h2><div class="scroll"><table><thead><tr><th></th><th>scenario</th><th>file</th><th></th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div></section>`;
}

function legend(): string {
  return (
    `<p class="legend">Cells show the observed state, coloured by the verdict: <span class="ok">as expected</span><span class="open">OPEN, as expected</span>` +
    `<span class="exposed">EXPOSED, not expected</span><span class="mismatch">other mismatch</span><span class="missing">expected, not observed</span>` +
    `<span class="unchecked">no expectation</span> (at most ${MAX_MATRIX_ROWS} ports per scenario; hover a cell for nmap's reason and the rule, or open "Why" under a matrix: [n] is the rule's number there).</p>`
  );
}
