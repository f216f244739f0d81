/**
 * One timed run of the scenario library, as `fwprobe run scenarios/` runs it, from the checkout named on
 * the command line: that checkout's own src/ (its runner, its discovery, its image built from its own
 * containers/), so the library comparison times the previous release's code against the current one's.
 * Each side runs in a fresh child process of this script, so both pay the same process start-up.
 *
 * Run as `node --import tsx bench/library-runner.ts ROOT OUT.json`; writes `{ image, wallMs, results }`
 * to OUT.json, progress to stderr; exit 0 when it wrote the file, 1 otherwise.
 *
 * It imports nothing from this checkout's src/: a module loaded from here would be the current code, and
 * the old checkout's modules would then share state (labs, slots, cleanup) with the wrong copy.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

type Fn = (...args: never[]) => unknown;

/** Loads `rel` from the checkout and returns its export `name`, which must be a function. */
async function exported<T extends Fn>(root: string, rel: string, name: string): Promise<T> {
  const file = join(root, rel);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${file}: ${error instanceof Error ? error.message : String(error)}. The library comparison needs this file in the compared commit.`, { cause: error });
  }
  const value = mod[name];
  if (typeof value !== 'function') throw new Error(`${file} has no function ${name}: the compared commit is too old (or too new) for this bench.`);
  return value as T;
}

/** True when it wrote the figures; false when interrupted. */
async function main(rootArg: string, out: string): Promise<boolean> {
  const root = resolve(rootArg);
  const log = (line: string) => process.stderr.write(`bench [${root}]: ${line}\n`);
  const ensureTargetImage = await exported<(o: { log: (line: string) => void }) => Promise<string>>(root, 'src/lab/image.ts', 'ensureTargetImage');
  const discoverScenarioFiles = await exported<(paths: string[]) => Promise<string[]>>(root, 'src/scenario/discover.ts', 'discoverScenarioFiles');
  type Result = { name: string; status: string; durationMs: number };
  const runScenarioFiles = await exported<(files: string[], o: { image: string; onResult?: (r: Result) => void }) => Promise<Result[]>>(root, 'src/run/files.ts', 'runScenarioFiles');
  // The signal handler removes this process's labs on Ctrl-C; older commits may lack it (labs then fall to
  // the next run's sweep of dead runs).
  const cleanup = (await import(pathToFileURL(join(root, 'src/lab/cleanup.ts')).href).catch(() => ({}))) as Record<string, unknown>;
  if (typeof cleanup['installSignalCleanup'] === 'function') (cleanup['installSignalCleanup'] as () => void)();

  // The image is built (or found: tags are content-hashed) before the clock starts, as `fwprobe run` does.
  const image = await ensureTargetImage({ log });
  let done = 0;
  const t0 = performance.now();
  const files = await discoverScenarioFiles([join(root, 'scenarios')]);
  const results = await runScenarioFiles(files, {
    image,
    onResult: (r) => log(`${++done}/${files.length} ${r.name}: ${r.status} (${(r.durationMs / 1000).toFixed(1)} s)`),
  });
  const wallMs = Math.round(performance.now() - t0);
  // After Ctrl-C the runner drains its queue as interrupted results: no figures, and no exit here, so the
  // signal handler finishes removing the labs and exits (130/143) itself.
  if (typeof cleanup['isStopping'] === 'function' && (cleanup['isStopping'] as () => boolean)()) {
    process.exitCode = 130;
    return false;
  }
  if (typeof cleanup['removeAllTracked'] === 'function') await (cleanup['removeAllTracked'] as () => Promise<void>)();
  await writeFile(out, `${JSON.stringify({ image, wallMs, results })}\n`);
  log(`library: ${results.length} scenarios in ${(wallMs / 1000).toFixed(1)} s`);
  return true;
}

const [rootArg, out] = process.argv.slice(2);
if (rootArg === undefined || out === undefined) {
  process.stderr.write('usage: node --import tsx bench/library-runner.ts ROOT OUT.json\n');
  process.exit(2);
}
try {
  if (await main(rootArg, out)) process.exit(0);
} catch (error) {
  process.stderr.write(`bench: library run in ${rootArg} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
