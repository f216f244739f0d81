/**
 * The UDP ledger tests' shared steps: one real lab run of a fixture, and the gate's UDP slice of the target
 * from each vantage and family, each with a label for the assertion messages.
 */
import { expect, inject } from 'vitest';
import { FAMILIES, type Family } from '../../src/model/observation.ts';
import { exposureOf, sliceKey, type ExposureEntry } from '../../src/report/exposure.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';

/** Runs a fixture on a real lab, prints its time, and expects it to pass. */
export async function runPassing(file: string, label: string): Promise<ScenarioResult> {
  const t0 = Date.now();
  const result = await runScenarioFile(file, { image: inject('fwprobeImage') });
  console.log(`${label}: ${Date.now() - t0} ms`);
  expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');
  return result;
}

/** One slice of the gate: the exposure word of every port the target's UDP sweep saw from one vantage and family. */
export interface UdpSlice {
  where: string;
  vantage: string;
  family: Family;
  entry: ExposureEntry;
  ports: ExposureEntry['ports'];
}

/** The target's UDP slices from loopback and the peer, over both families; each must exist. */
export function udpSlices(result: ScenarioResult): UdpSlice[] {
  const exposure = exposureOf(result.observations, result.others);
  return ['loopback', 'peer'].flatMap((vantage) =>
    FAMILIES.map((family) => {
      const where = `${vantage} ${family}`;
      const slice = exposure.get(sliceKey({ vantage, host: 'target', family, protocol: 'udp' }));
      expect(slice, where).toBeDefined();
      return { where, vantage, family, entry: slice!, ports: slice!.ports };
    }),
  );
}
