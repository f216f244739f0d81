/**
 * What a scenario's describe block declares before its lab runs: its title (the scenario's `name` and
 * its path, so `vitest -t <name>` finds it) and the vantage × family slices it expects something of. A
 * slice without an expectation has nothing to fail, so it gets no test: no phantom skipped cases.
 */
import { FAMILIES, type Family, type Vantage } from '../model/observation.ts';
import { printable } from '../model/printable.ts';
import { loadScenario } from '../scenario/load.ts';

export interface Declared {
  /** The scenario file, relative to the working directory. */
  file: string;
  /** `<name> (<file>)`, or the file alone when it does not load (its run then reports why). */
  title: string;
  slices: { vantage: Vantage; family: Family }[];
}

export async function declaredSlices(file: string): Promise<Declared> {
  try {
    const scenario = await loadScenario(file);
    const slices = scenario.vantages.flatMap((vantage) =>
      FAMILIES.filter((family) => scenario.expectations.some((set) => set.vantage === vantage && set.family === family)).map((family) => ({ vantage, family })),
    );
    // A file name is the user's file system's: a terminal escape in it would redraw vitest's ✗ line.
    return { file, title: `${scenario.name} (${printable(file)})`, slices };
  } catch {
    return { file, title: printable(file), slices: [] };
  }
}
