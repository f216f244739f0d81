import { describe, expect, test } from 'vitest';
import { CommandFailedError } from '../model/errors.ts';
import { underLedger, type Counting } from './counted-ledger.ts';
import { LEDGER_LIST } from './ledger-dump.ts';

const STAT = (drops: number) => `entries drop\n00000001 ${drops.toString(16).padStart(8, '0')}\n`;

/** A target that records what runs in it, in order; the ledger's commands answer as `options` say. */
function target(options: { installFails?: boolean; removeFails?: boolean; dropsAfter?: number } = {}) {
  const events: string[] = [];
  let stats = 0;
  const counting: Counting = {
    table: 'fwprobe_ledger_t',
    source: { ipv4: '127.0.0.1', ipv6: '::1' },
    inTarget: async (commands) => {
      events.push(commands.map((c) => (c.includes(LEDGER_LIST) ? 'list' : c[0] === 'nft' ? (c.length === 2 ? 'install' : 'remove') : 'stat')).join(','));
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push('batch done');
      return commands.map((c) => {
        if (c[0] === 'nft' && c.length === 2) return { exitCode: options.installFails ? 1 : 0, stdout: '', stderr: options.installFails ? 'Error: Could not process rule' : '' };
        if (c.includes(LEDGER_LIST)) return { exitCode: 0, stdout: '{"nftables": []}', stderr: '' };
        if (c[1] === 'delete') return { exitCode: options.removeFails ? 1 : 0, stdout: '', stderr: options.removeFails ? 'Error: busy' : '' };
        return { exitCode: 0, stdout: STAT(stats++ === 0 ? 3 : 3 + (options.dropsAfter ?? 0)), stderr: '' };
      });
    },
  };
  return { counting, events };
}

const SCRIPT = 'table inet fwprobe_ledger_t {\n}\n';

describe('underLedger', () => {
  test('installs, scans, then lists, reads the counters and removes in one exec; `beside` runs during the read and is settled first', async () => {
    const { counting, events } = target({ dropsAfter: 2 });
    const scan = async () => {
      events.push('scan');
      return 'result';
    };
    const beside = async () => {
      events.push('beside');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('beside done');
    };
    const done = await underLedger(counting, { script: SCRIPT, sets: ['out_flight'] }, scan, beside);
    expect(events).toEqual(['install,stat', 'batch done', 'scan', 'beside', 'list,stat,remove', 'batch done', 'beside done']);
    expect(done).toEqual({ installed: true, value: 'result', reading: { listing: { exitCode: 0, stdout: '{"nftables": []}', stderr: '' }, conntrackDrops: 2 } });
  });

  test('a scan that fails still leaves no ledger behind, and starts nothing beside', async () => {
    const { counting, events } = target();
    const failing = async () => {
      events.push('scan');
      throw new CommandFailedError({ command: ['nmap'], exitCode: 1, stdout: '', stderr: 'boom' });
    };
    const beside = async () => {
      events.push('beside');
    };
    await expect(underLedger(counting, { script: SCRIPT, sets: ['out_flight'] }, failing, beside)).rejects.toThrow(CommandFailedError);
    expect(events).toEqual(['install,stat', 'batch done', 'scan', 'list,stat,remove', 'batch done']);
  });

  test('a ledger that cannot be removed is an error, even when the scan succeeded', async () => {
    const { counting } = target({ removeFails: true });
    await expect(underLedger(counting, { script: SCRIPT, sets: ['out_flight'] }, async () => 'result')).rejects.toThrow(/could not be removed/);
  });

  test('a ledger that cannot be installed runs no scan and says why', async () => {
    const { counting, events } = target({ installFails: true });
    const done = await underLedger(counting, { script: SCRIPT, sets: ['out_flight'] }, async () => {
      events.push('scan');
      return 'result';
    });
    expect(done).toEqual({ installed: false, why: 'the ledger could not be installed: Error: Could not process rule' });
    expect(events).toEqual(['install,stat', 'batch done']);
  });

  test("`beside`'s own failure is left to its caller, after the ledger is read", async () => {
    const { counting } = target();
    let besideDone: Promise<unknown> | undefined;
    const beside = () => (besideDone = Promise.reject(new CommandFailedError({ command: ['nmap'], exitCode: 1, stdout: '', stderr: 'look failed' })));
    const done = await underLedger(counting, { script: SCRIPT, sets: ['out_flight'] }, async () => 'result', beside);
    expect(done.installed).toBe(true);
    await expect(besideDone).rejects.toThrow(CommandFailedError);
  });
});
