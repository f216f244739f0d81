/**
 * `npm run soak [-- --runs N --concurrency C DIRS…]`: runs the scenario library N times (default 20) and
 * fails on any observation (vantage, family, protocol, port → state) that differs between runs, or any run
 * whose status differs from the first: a verdict that flakes is a verdict nobody can ship on. Then runs 16
 * scenarios at concurrency 8 and checks they are all as in the serial runs, and reports the harness's peak
 * RSS. Exit 0 when stable, 1 when anything differed, 2 on an error.
 */
import { parseArgs } from 'node:util';
import { prepareEngine, removeEverything } from '../src/run/engine.ts';
import { runScenarioFiles } from '../src/run/files.ts';
import type { ScenarioResult } from '../src/report/result.ts';
import { discoverScenarioFiles } from '../src/scenario/discover.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '2' } },
});
const runs = Number(values.runs);
const concurrency = Number(values.concurrency);

/** One line per observed port, and one per summary: what must be the same on every run. */
function fingerprint(result: ScenarioResult): Map<string, string> {
  const out = new Map<string, string>([['status', result.status === 'error' ? `error ${result.errorCode}` : result.status]]);
  for (const o of result.observations) out.set(`${o.vantage} ${o.family} ${o.protocol}/${o.port}`, o.state);
  for (const s of result.others) out.set(`${s.vantage} ${s.family} ${s.protocol} others ${s.state}`, String(s.count));
  return out;
}

function differences(first: Map<string, string>, other: Map<string, string>): string[] {
  const keys = new Set([...first.keys(), ...other.keys()]);
  return [...keys].filter((k) => first.get(k) !== other.get(k)).map((k) => `${k}: ${first.get(k) ?? '(none)'} → ${other.get(k) ?? '(none)'}`);
}

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
sampler.unref();

try {
  const image = await prepareEngine({ log: (line) => process.stderr.write(`image: ${line}\n`) });
  const files = await discoverScenarioFiles(positionals.length > 0 ? positionals : ['scenarios']);
  const reference = new Map<string, Map<string, string>>();
  const problems: string[] = [];
  const t0 = Date.now();
  for (let run = 1; run <= runs; run++) {
    const results = await runScenarioFiles(files, { image, concurrency });
    for (const result of results) {
      const print = fingerprint(result);
      const first = reference.get(result.file);
      if (!first) reference.set(result.file, print);
      else for (const d of differences(first, print)) problems.push(`run ${run}: ${result.file}: ${d}`);
    }
    process.stderr.write(`soak: run ${run}/${runs} done (${((Date.now() - t0) / 1000).toFixed(0)} s, ${problems.length} differences so far)\n`);
  }
  const sixteen = Array.from({ length: 16 }, (_, i) => files[i % files.length]!);
  const c0 = Date.now();
  const concurrent = await runScenarioFiles(sixteen, { image, concurrency: 8 });
  const concurrentMs = Date.now() - c0;
  for (const result of concurrent) {
    for (const d of differences(reference.get(result.file)!, fingerprint(result))) problems.push(`concurrency 8: ${result.file}: ${d}`);
  }
  const wrong = concurrent.filter((r) => r.status !== 'passed').length;
  process.stdout.write(
    `soak: ${runs} runs × ${files.length} scenarios (concurrency ${concurrency}): ${problems.length} differing observations\n` +
      `soak: 16 scenarios at concurrency 8: ${16 - wrong}/16 passed, ${(concurrentMs / 1000).toFixed(1)} s\n` +
      `soak: peak RSS of the harness: ${(peakRss / 1024 / 1024).toFixed(0)} MiB\n`,
  );
  for (const p of problems.slice(0, 50)) process.stdout.write(`  ${p}\n`);
  process.exitCode = problems.length > 0 || wrong > 0 ? 1 : 0;
} catch (error) {
  process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
} finally {
  await removeEverything();
}
