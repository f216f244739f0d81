/**
 * A vitest reporter that collects the fwprobe results tests attach to their task meta and writes every
 * report (results.json, junit.xml, summary.md, index.html, fwprobe.sarif).
 */
import type { Reporter, TestModule } from 'vitest/node';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from './result.ts';
import { writeResults } from './results-json.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** Set by scenario tests: the full result, for results.json. */
    fwprobe?: ScenarioResult;
  }
}

/** Where `npm test` writes results.json. @default 'reports' (env FWPROBE_REPORT_DIR overrides) */
const REPORT_DIR = process.env.FWPROBE_REPORT_DIR ?? 'reports';

/**
 * Collects the ScenarioResult each scenario test attached to its meta and writes results.json once the
 * run ends, in the same format as `fwprobe run`. Scenarios whose tests were skipped are listed by name so
 * that a skip is never silent.
 */
export default class FwprobeReporter implements Reporter {
  #startedAt = new Date();

  onInit(): void {
    this.#startedAt = new Date();
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const results = new Map<string, ScenarioResult>();
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.meta().fwprobe;
        if (result) results.set(`${result.file}\0${result.name}`, result);
        if (test.result().state === 'skipped') skipped.push(test.fullName);
      }
    }
    if (results.size > 0) {
      const file = await writeResults(REPORT_DIR, [...results.values()], { startedAt: this.#startedAt });
      console.log(`fwprobe: ${results.size} scenario result(s) written to ${printable(file)}`);
    }
    if (skipped.length > 0) {
      const names = skipped.sort().map((name) => printable(name));
      console.log(`fwprobe: ${skipped.length} skipped test(s), declared:\n  ${names.join('\n  ')}`);
    }
  }
}
