/**
 * The vitest config the README shows is the one the package ships (examples/vitest.config.mts, which the
 * packed-tarball test puts into a CommonJS project as it is): one text, an ES module by its name, and no
 * timeouts a user must copy (the test entry sets its own).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const example = readFileSync('examples/vitest.config.mts', 'utf8');

describe('the vitest config example', () => {
  it('is the same text in the README section and in examples/', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf("### In your own repository's `npm test`");
    expect(start, 'the README has an "In your own repository\'s `npm test`" section').toBeGreaterThan(-1);
    expect(readme.slice(start, readme.indexOf('\n### ', start + 1))).toContain(example);
  });

  it('names the reporter and sets no timeout', () => {
    expect(example).toContain("reporters: ['default', 'fwprobe/vitest-reporter']");
    expect(example).not.toMatch(/Timeout\s*:/);
  });
});
