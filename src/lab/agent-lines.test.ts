// The agent's reply lines come back whole however they are chunked, and a line of tens of MB costs one pass.
import { expect, test } from 'vitest';
import { LineSplitter } from './agent-lines.ts';

test('lines split across chunks, several in one chunk, and an unfinished line kept for the next chunk', () => {
  const s = new LineSplitter();
  expect(s.push('#rea')).toEqual([]);
  expect(s.push('dy\n1 0 ')).toEqual(['#ready']);
  expect(s.push('aGk= \n2 1  \n\n3')).toEqual(['1 0 aGk= ', '2 1  ', '']);
  expect(s.push(' 0')).toEqual([]);
  expect(s.push('\n')).toEqual(['3 0']);
});

test('a 60 MB line in 64 KB chunks comes back whole in one pass (re-scanning it per chunk took minutes)', () => {
  const s = new LineSplitter();
  const chunk = 'QUJD'.repeat(16 * 1024);
  const t0 = Date.now();
  let lines: string[] = [];
  for (let i = 0; i < 915; i++) lines = lines.concat(s.push(chunk));
  lines = lines.concat(s.push('x\n'));
  expect(Date.now() - t0).toBeLessThan(3000);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toHaveLength(915 * chunk.length + 1);
  expect(lines[0]!.endsWith('QUJDx')).toBe(true);
});
