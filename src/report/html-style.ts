/**
 * The HTML report's stylesheet, inlined into the page: the report is one file that opens offline, from a CI
 * artifact or an e-mail, so it may fetch nothing (no stylesheet, font or script from anywhere).
 */
export const HTML_STYLE = `
:root { color-scheme: light; --ok: #d7f2d9; --open: #a8e0ae; --exposed: #e5484d; --mismatch: #f5b971; --missing: #d9c2f0;
  --unchecked: #e6e6e6; --line: #c8c8c8; --ink: #1d1d1f; --muted: #5d5d66; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 0 0 8px; } h3 { font-size: 16px; margin: 18px 0 6px; }
.meta, .file { color: var(--muted); font-size: 13px; }
.totals { font-size: 17px; margin: 10px 0 18px; }
.interrupted { font-weight: 600; color: var(--exposed); border: 2px solid currentColor; padding: 8px 12px; margin: 10px 0; }
.badge { display: inline-block; border-radius: 4px; padding: 1px 8px; font-size: 12px; font-weight: 700; color: #fff; vertical-align: 2px; }
.badge.passed { background: #2f8a3a; } .badge.failed { background: #c62d33; } .badge.error { background: #6b3fa0; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin: 16px 0; }
section.exposures { border-left: 6px solid var(--exposed); }
section.parity { border-left: 6px solid #e5a000; }
section.lint { background: #f7f7f8; color: var(--muted); font-size: 14px; padding: 8px 18px; }
section.lint summary { font-weight: 500; }
ul.groups { padding-left: 20px; } ul.groups > li { margin: 8px 0; font-weight: 600; }
ul.findings { margin: 4px 0; padding-left: 20px; font-weight: 400; } ul.findings li { margin: 2px 0; }
.excused { color: var(--muted); }
/* A table never widens the page: it scrolls inside its own box, and long texts (rules, paths) wrap. */
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; font-size: 13px; overflow-wrap: break-word; }
th, td.short, .badge { white-space: nowrap; }
td.long, td code { overflow-wrap: anywhere; }
table.lines { width: 100%; } table.lines td { vertical-align: top; } table.lines strong.observed { color: #b3261e; }
li, p, summary, .meta, .file, code, h2 { overflow-wrap: anywhere; }
a.mark { font-size: 11px; color: inherit; text-decoration: none; vertical-align: 1px; }
ol.why { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; padding-left: 32px; }
th { background: #f0f0f2; font-weight: 600; }
table.matrix td.cell { font-family: ui-monospace, Menlo, Consolas, monospace; min-width: 92px; overflow-wrap: normal; white-space: nowrap; }
td.cell.ok { background: var(--ok); } td.cell.ok.open { background: var(--open); font-weight: 700; }
td.cell.exposed { background: var(--exposed); color: #fff; font-weight: 700; }
td.cell.mismatch { background: var(--mismatch); font-weight: 700; }
td.cell.missing { background: var(--missing); } td.cell.unchecked { background: var(--unchecked); }
td.cell small { display: block; font-weight: 400; font-size: 11px; }
td.gap { color: #9a5b00; font-weight: 600; }
.legend span { display: inline-block; padding: 1px 8px; margin: 2px 6px 2px 0; border: 1px solid var(--line); font-size: 12px; }
.legend .ok { background: var(--ok); } .legend .open { background: var(--open); font-weight: 700; }
.legend .exposed { background: var(--exposed); color: #fff; font-weight: 700; } .legend .mismatch { background: var(--mismatch); }
.legend .missing { background: var(--missing); } .legend .unchecked { background: var(--unchecked); }
pre { background: #f5f5f7; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 420px; font-size: 12px;
  white-space: pre-wrap; word-break: break-all; }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
ul.problems li { color: #8b1d22; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
`;
