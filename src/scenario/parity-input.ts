/** `parity`: the mode (default report) and its exceptions, expanded to one per port. */
import { PROTOCOLS, type Protocol, type Vantage } from '../model/observation.ts';
import type { IssueList } from '../source/issues.ts';
import { expandRange, parsePortRef } from '../model/ports.ts';
import type { ScenarioInput } from './schema.ts';
import { mayBeScanned } from './scan-selection.ts';
import type { ParityException, ParityMode, PortSelection } from '../model/scenario.ts';

type ParityInput = NonNullable<ScenarioInput['parity']>;

export function normaliseParity(
  input: ParityInput | undefined,
  vantages: readonly Vantage[],
  scan: Record<Protocol, PortSelection>,
  issues: IssueList,
): { mode: ParityMode; exceptions: ParityException[] } {
  if (input === undefined) return { mode: 'report', exceptions: [] };
  if (typeof input === 'string') return { mode: input, exceptions: [] };
  const exceptions: ParityException[] = [];
  (input.exceptions ?? []).forEach((exception, index) => {
    const path = ['parity', 'exceptions', index];
    const vantage = exception.vantage ?? 'all';
    if (vantage !== 'all' && !vantages.includes(vantage)) {
      issues.add([...path, 'vantage'], `expected one of the scanned vantages [${vantages.join(', ')}] or all, found ${vantage}`);
    }
    const ref = parsePortRef(exception.port);
    for (const port of expandRange(ref)) {
      if (!mayBeScanned(scan[ref.protocol], port)) {
        issues.add(
          [...path, 'port'],
          `expected a scanned port, found ${port}/${ref.protocol}, which is never scanned: ` +
            `add it to services, ports.${ref.protocol} or an expectation, or remove this exception`,
        );
        return;
      }
      exceptions.push({ vantage, protocol: ref.protocol, port, why: exception.why.trim() });
    }
  });
  exceptions.sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);
  return { mode: input.mode ?? 'report', exceptions };
}
