/** Finding the rule behind a restore error that the tool blamed on COMMIT: cut files, applied one by one. */
import { describe, expect, it } from 'vitest';
import { RulesetApplyError } from '../model/errors.ts';
import { layoutBatch, nameAllSteps, nameStoppedSteps, type BatchSpec } from './batch-named.ts';
import type { StartedFwprobeContainer } from './container.ts';
import { cutFiles, findCulpritLine, needsCulpritSearch } from './restore-culprit.ts';

// Lines 1-9: comment, table, two chains, rules on 5, 7 (with counters) and 8, a blank line, COMMIT on 9.
const FILE = ['# comment', '*filter', ':INPUT DROP [0:0]', ':MINE - [0:0]', '-A INPUT -i lo -j ACCEPT', '', '[3:180] -A INPUT -j MINE', '-A MINE -j NOSUCHTARGET', 'COMMIT', ''].join('\n');

describe('cutFiles', () => {
  it('keeps tables, chains, comments and COMMIT, and blanks the rules after the k-th, line numbers unchanged', () => {
    const { cuts, ruleLines } = cutFiles(FILE);
    expect(ruleLines).toEqual([5, 7, 8]);
    expect(cuts).toHaveLength(3);
    expect(cuts.map((cut) => cut.split('\n').length)).toEqual([10, 10, 10]);
    expect(cuts[0]!.split('\n').filter(Boolean)).toEqual(['# comment', '*filter', ':INPUT DROP [0:0]', ':MINE - [0:0]', 'COMMIT']);
    expect(cuts[2]!.split('\n')[6]).toBe('[3:180] -A INPUT -j MINE');
    expect(cuts[2]!.split('\n')[7]).toBe('');
  });
});

describe('needsCulpritSearch', () => {
  it('searches when the tool named the COMMIT or no line, not when it named a rule', () => {
    expect(needsCulpritSearch(FILE, 9)).toBe(true);
    expect(needsCulpritSearch(FILE, null)).toBe(true);
    expect(needsCulpritSearch(FILE, 8)).toBe(false);
  });
});

/** A host whose restore tool fails on any file holding `bad`, as the kernel refuses it at COMMIT. */
function fakeHost(bad: string): { host: StartedFwprobeContainer; ran: string[][] } {
  const files = new Map<string, string>();
  const ran: string[][] = [];
  const host = {
    async copyContentToContainer(items: { content: string; target: string }[]) {
      for (const item of items) files.set(item.target, item.content);
    },
    async runBatch(commands: string[][], options: { stopOnFailure: boolean }) {
      const results = [];
      for (const command of commands) {
        ran.push(command);
        const file = command.at(-1)!;
        const exitCode = command[0] === 'iptables-restore' && (files.get(file) ?? 'saved').includes(bad) ? 2 : 0;
        results.push({ command, exitCode, stdout: '', stderr: '' });
        if (exitCode !== 0 && options.stopOnFailure) break;
      }
      return results;
    },
    // As the container does it: the named steps laid out, run as one batch, and read back by name.
    async runNamedBatch(spec: BatchSpec, options: { stopOnFailure: boolean }) {
      const steps = await this.runBatch(layoutBatch(spec).commands, options);
      return options.stopOnFailure ? nameStoppedSteps(spec, steps) : nameAllSteps(spec, steps);
    },
  };
  return { host: host as unknown as StartedFwprobeContainer, ran };
}

describe('findCulpritLine', () => {
  it('applies cut after cut in one batch, stops at the first that fails, and restores the saved ruleset', async () => {
    const { host, ran } = fakeHost('NOSUCHTARGET');
    expect(await findCulpritLine(host, ['iptables-restore', '/run/fwprobe/rules.v4'], 'iptables-save', FILE)).toBe(8);
    expect(ran.map((c) => c.join(' '))).toEqual([
      'bash -c "$0" > "$1" iptables-save /run/fwprobe/culprit/saved',
      'iptables-restore /run/fwprobe/culprit/cut-0',
      'iptables-restore /run/fwprobe/culprit/cut-1',
      'iptables-restore /run/fwprobe/culprit/cut-2',
      'iptables-restore /run/fwprobe/culprit/saved',
      'rm -rf /run/fwprobe/culprit',
    ]);
  });

  it('names a rule in the middle, and only tests the cuts when --test failed', async () => {
    const { host, ran } = fakeHost('-j MINE');
    expect(await findCulpritLine(host, ['iptables-restore', '--test', '/run/fwprobe/rules.v4'], 'iptables-save', FILE)).toBe(7);
    expect(ran.map((c) => c.slice(0, 2).join(' '))).toEqual(['iptables-restore --test', 'iptables-restore --test', 'iptables-restore --test', 'rm -rf']);
  });

  it('gives no line when the file fails without any rule', async () => {
    const { host } = fakeHost(':MINE');
    expect(await findCulpritLine(host, ['iptables-restore', 'f'], 'iptables-save', FILE)).toBeNull();
  });
});

describe('RulesetApplyError with the line found behind the COMMIT', () => {
  it('names the rule and says which line the tool named', () => {
    const error = new RulesetApplyError({
      family: 'ipv4',
      source: 'rules.v4',
      text: FILE,
      line: 8,
      toolLine: 9,
      command: ['iptables-restore', '/run/fwprobe/rules.v4'],
      exitCode: 2,
      stdout: '',
      stderr: "iptables-restore v1.8.9 (nf_tables): Chain 'NOSUCHTARGET' does not exist\nError occurred at line: 9\n",
    });
    expect(error).toMatchObject({ line: 8, reportedLine: 9 });
    expect(error.message).toContain('rules.v4:8: -A MINE -j NOSUCHTARGET\n(The tool named line 9: COMMIT; applying the rules one at a time found this one.)');
  });
});
