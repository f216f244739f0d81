/**
 * A vitest reporter that collects the fwprobe results tests attach to their task meta and writes every
 * report (results.json, junit.xml, summary.md, index.html, fwprobe.sarif), also when the run is
 * interrupted: then with the scenarios that had finished, or one line saying why nothing was written.
 */
import type { Reporter, TestCase, TestModule, TestRunEndReason } from 'vitest/node';
import { printable } from '../model/printable.ts';
import type { ScenarioResult } from './result.ts';
import { writeResults } from './results-json.ts';
import { afterSignal } from './reports-now.ts';

declare module 'vitest' {
  interface TaskMeta {
    /** Set by scenario tests: the full result, for results.json. */
    fwprobe?: ScenarioResult;
  }
}

/** Where `npm test` writes results.json. @default 'reports' (env FWPROBE_REPORT_DIR overrides) */
const REPORT_DIR = process.env.FWPROBE_REPORT_DIR ?? 'reports';
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Collects the ScenarioResult each scenario test attached to its meta as the tests finish, and writes
 * the reports once the run ends, in the same format as `fwprobe run`. Scenarios whose tests were skipped
 * are listed by name so that a skip is never silent.
 */
export default class FwprobeReporter implements Reporter {
  #startedAt = new Date();
  readonly #results = new Map<string, ScenarioResult>();
  readonly #onSignal = (signal: NodeJS.Signals) => this.#interrupted(signal);

  onInit(): void {
    this.#startedAt = new Date();
  }

  onTestRunStart(): void {
    this.#startedAt = new Date();
    this.#results.clear();
    // vitest exits a millisecond after a signal without ending the run: the reports are written then, synchronously.
    for (const signal of SIGNALS) {
      process.off(signal, this.#onSignal);
      process.once(signal, this.#onSignal);
    }
  }

  onTestCaseResult(test: TestCase): void {
    this.#keep(test.meta().fwprobe);
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason?: TestRunEndReason): Promise<void> {
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        this.#keep(test.meta().fwprobe);
        if (test.result().state === 'skipped') skipped.push(test.fullName);
      }
    }
    if (this.#results.size > 0) {
      const file = await writeResults(REPORT_DIR, [...this.#results.values()], { startedAt: this.#startedAt, ...(reason === 'interrupted' ? { interrupted: 'interrupted' } : {}) });
      const partial = reason === 'interrupted' ? ' (run interrupted: only the scenarios that had finished)' : '';
      console.log(`fwprobe: ${this.#results.size} scenario result(s) written to ${printable(file)}${partial}`);
    } else if (reason === 'interrupted') {
      console.log(`fwprobe: run interrupted before any scenario finished: no report written to ${printable(REPORT_DIR)}`);
    }
    // Until the reports are on disk, a signal still writes them (synchronously) rather than leave a half-made folder.
    for (const signal of SIGNALS) process.off(signal, this.#onSignal);
    if (skipped.length > 0) {
      const names = skipped.sort().map((name) => printable(name));
      console.log(`fwprobe: ${skipped.length} skipped test(s), declared:\n  ${names.join('\n  ')}`);
    }
  }

  #keep(result: ScenarioResult | undefined): void {
    if (result) this.#results.set(`${result.file}\0${result.name}`, result);
  }

  #interrupted(signal: NodeJS.Signals): void {
    process.stderr.write(`${afterSignal(signal, REPORT_DIR, [...this.#results.values()], this.#startedAt)}\n`);
  }
}
