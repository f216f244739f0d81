/**
 * A ledger's life in the target, the same for TCP's counted scan (counted.ts) and UDP's (counted-udp.ts):
 * installed with conntrack's counters read, the scan run, then listed, the counters read again and the table
 * removed in one exec, whatever the scan did: a ledger must never outlive its scan.
 */
import { CommandFailedError } from '../model/errors.ts';
import type { Family } from '../model/observation.ts';
import { CONNTRACK_STAT_COMMAND, conntrackDrops, ledgerInstallCommand, ledgerReadCommands } from './ledger-table.ts';
import type { BatchExec } from './types.ts';

/** Where the ledger lives: the target's exec, a table name unique to this scan, and the scanner's address. */
export interface Counting {
  inTarget: BatchExec;
  table: string;
  /** The address the scanner's probes come from, per family (127.0.0.1 and ::1 from loopback). */
  source: Readonly<Record<Family, string>>;
  /**
   * The rule that can hold this scanner's probes to `port` while a client from another source port or shape
   * gets in (ruleset/scan-shaped.ts): a held probe then proves no drop. Read by the UDP ledger. @default none
   */
  unproven?: (port: number) => string | undefined;
}

/** A ledger table to install: its nft script, and the sets read back once the scan is over. */
export interface LedgerTable {
  script: string;
  sets: readonly string[];
}

/** What the ledger says once the scan is over. */
export interface LedgerReading {
  /** The ledger's sets as ledger-dump.ts's reader (or `nft -j list table`) printed them: exit code, output, stderr. */
  listing: { exitCode: number; stdout: string; stderr: string };
  /** The packets conntrack dropped between the install and the read (0: a held probe was held by a rule). */
  conntrackDrops: number;
}

/** The scan's outcome under its ledger, or why there was no ledger (the scan then did not run). */
export type Ledgered<T> = { installed: true; value: T; reading: LedgerReading } | { installed: false; why: string };

/**
 * Installs the ledger table (`ledger.script`), runs `scan`, then reads and removes the table. `beside` starts once
 * the scan has succeeded and runs while the ledger is read (work that must not compete with the scan itself
 * but needs no ledger); it is settled before this returns or throws, and its own outcome is the caller's.
 * @throws the scan's own error, after the ledger is removed.
 * @throws CommandFailedError when the ledger table cannot be removed: it would be left in the target.
 */
export async function underLedger<T>(counting: Counting, ledger: LedgerTable, scan: () => Promise<T>, beside?: () => Promise<unknown>): Promise<Ledgered<T>> {
  const [install, before] = await counting.inTarget([ledgerInstallCommand(ledger.script), CONNTRACK_STAT_COMMAND]);
  if (install?.exitCode !== 0) return { installed: false, why: `the ledger could not be installed: ${(install?.stderr ?? '').trim().slice(0, 200)}` };
  const { list, remove } = ledgerReadCommands(counting, ledger.sets);
  const outcome = await scan().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  // Handled from the start (its caller reads its outcome later): a failure while the read is under way must
  // not surface as an unhandled rejection.
  const alongside = ('value' in outcome ? beside?.() : undefined)?.then(
    () => undefined,
    () => undefined,
  );
  let read;
  try {
    read = await counting.inTarget([list, CONNTRACK_STAT_COMMAND, remove]);
  } finally {
    await alongside;
  }
  const removed = read[2];
  if (removed?.exitCode !== 0) {
    const failed = { command: remove, exitCode: removed?.exitCode ?? -1, stdout: removed?.stdout ?? '', stderr: removed?.stderr ?? '' };
    throw new CommandFailedError(failed, "The scan's ledger table could not be removed from the target.");
  }
  if ('error' in outcome) throw outcome.error;
  const listing = read[0] ?? { exitCode: -1, stdout: '', stderr: 'no result for the listing' };
  const drops = conntrackDrops(read[1]?.stdout ?? '') - conntrackDrops(before?.stdout ?? '');
  return { installed: true, value: outcome.value, reading: { listing, conntrackDrops: drops } };
}
