// The linter: @eslint/js and typescript-eslint recommended on every TypeScript and JavaScript file, with
// the few rule changes the tree needs, each with its reason. Formatting is prettier's (.prettierrc.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Fixtures and golden files are inputs and expected outputs, written as the tools under test write them.
  { ignores: ['node_modules/', 'reports/', 'test/fixtures/', 'test/golden/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      // fwprobe escapes terminal controls in everything it prints (model/printable.ts, junit, quoting): its
      // regular expressions name control characters on purpose.
      'no-control-regex': 'off',
      // `const { lines: _, ...rest } = x` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // Tests match indented output as printed: `\n  - ` reads as the output does, `\n {2}- ` does not.
      'no-regex-spaces': 'off',
    },
  },
);
