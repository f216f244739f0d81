/**
 * Every generated ruleset loads with iptables-restore --test / ip6tables-restore --test in the target
 * image, and the shell script leaves the kernel with the same tables as the restore files.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';

import { goldenCases } from './golden-cases.test-helpers.ts';

const RESET = ['for t in iptables ip6tables; do', '  $t -F; $t -X; $t -P INPUT ACCEPT; $t -P OUTPUT ACCEPT; $t -P FORWARD ACCEPT', 'done'].join('\n');

let container: StartedFwprobeContainer;

beforeAll(async () => {
  container = await new FwprobeContainer(inject('fwprobeImage')).start();
});

afterAll(async () => {
  await container?.remove();
});

async function run(cmd: string[]): Promise<string> {
  return container.runOk(cmd);
}

async function put(path: string, content: string): Promise<void> {
  await container.copyContentToContainer([{ content, target: path }]);
}

/** iptables-save output without comment lines and with counters zeroed. */
function normalise(save: string): string {
  return save
    .split('\n')
    .filter((line) => !line.startsWith('#') && line.trim() !== '')
    .map((line) => line.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
}

async function saved(): Promise<{ v4: string; v6: string }> {
  return { v4: normalise(await run(['iptables-save'])), v6: normalise(await run(['ip6tables-save'])) };
}

describe('generated rulesets in the target container', () => {
  for (const c of goldenCases()) {
    it(`${c.name}: restore --test accepts both families, and would refuse a broken line`, async () => {
      const out = c.generate();
      const sides = [
        ['iptables-restore', out.v4],
        ['ip6tables-restore', out.v6],
      ] as const;
      for (const [tool, text] of sides) {
        if (text === null) continue;
        await put('/tmp/rules', text);
        expect(await container.run([tool, '--test', '/tmp/rules']), `${tool} --test`).toMatchObject({ exitCode: 0 });
        // The same file with one rule made invalid must fail: the check above really checks.
        await put('/tmp/broken', text.replace(/^COMMIT$/m, '-A INPUT --no-such-option -j ACCEPT\nCOMMIT'));
        expect((await container.run([tool, '--test', '/tmp/broken'])).exitCode, `${tool} --test on a broken file`).not.toBe(0);
      }
    });

    it(`${c.name}: firewall.sh gives the same tables as the restore files`, async () => {
      const out = c.generate();
      await put('/tmp/rules.v4', out.v4);
      await put('/tmp/firewall.sh', out.shell);
      if (out.v6 !== null) await put('/tmp/rules.v6', out.v6);

      await run(['sh', '-c', RESET]);
      await run(['iptables-restore', '/tmp/rules.v4']);
      if (out.v6 !== null) await run(['ip6tables-restore', '/tmp/rules.v6']);
      const fromRestore = await saved();

      await run(['sh', '-c', RESET]);
      await run(['sh', '/tmp/firewall.sh']);
      const fromShell = await saved();

      expect(fromShell).toEqual(fromRestore);
      // Guards against two empty tables comparing equal: the kernel holds every IR rule.
      const rules4 = fromRestore.v4.split('\n').filter((l) => l.startsWith('-A ')).length;
      expect(rules4).toBe(out.ir.v4.tables.filter.rules.length);
      if (out.ir.v6) {
        const rules6 = fromRestore.v6.split('\n').filter((l) => l.startsWith('-A ')).length;
        expect(rules6).toBe(out.ir.v6.tables.filter.rules.length);
        expect(fromRestore.v6).toContain(`:INPUT ${out.ir.v6.tables.filter.chains[0]?.policy}`);
      } else {
        // v6 left untouched: still the ACCEPT policies RESET set.
        expect(fromRestore.v6).toContain(':INPUT ACCEPT');
      }
    });
  }
});
