// vitest.config.mts for a repository that runs fwprobe scenarios in its `npm test`. The .mts name makes it
// an ES module whatever package.json's "type" says, so it loads the same in CommonJS and ESM packages.
// No timeouts needed: fwprobe's test entry sets its own (scenarioTests(paths, { timeoutMs })).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { reporters: ['default', 'fwprobe/vitest-reporter'] },
});
