/**
 * Unit files that mock modules (`vi.mock`, `vi.spyOn`, `vi.stubEnv`, fake timers), change the environment,
 * the working folder or the process's handlers. The unit project shares one module graph per worker
 * (vitest.config.ts, `isolate: false`); these run in a project of their own, each with a fresh graph.
 * stateful-files.test.ts finds every such file and fails when one is missing here.
 */
export const STATEFUL_UNIT_FILES = [
  'src/scenario/generate-errors.test.ts',
  'src/scenario/port-ranges.test.ts',
  'src/cli/run.test.ts',
  'src/cli/gate-offline.test.ts',
  'src/cli/audit.test.ts',
  'src/cli/main.test.ts',
  'src/run/docker-up-script.test.ts',
  'src/run/docker-up.test.ts',
  'src/run/files.test.ts',
  'src/run/files-ahead.test.ts',
  'src/lab/container-commands.test.ts',
  'src/ruleset/generate.golden.test.ts',
];

/** What makes a test file stateful: module mocks and spies, fake timers, env, cwd or process handlers changed. */
export const STATEFUL_PATTERN =
  /\bvi\.(mock|doMock|spyOn|stubGlobal|stubEnv|useFakeTimers)\b|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|process\.(on|once|chdir|exit\s*=)\b|Object\.defineProperty\(process/;
