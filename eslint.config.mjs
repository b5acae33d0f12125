// The house rules a machine can check (CODE_STYLE.md says the rest). `npm run lint` runs this and
// scripts/checkImports.mjs (no import cycle, no two server/ folders importing each other, the
// simulators kept apart); `npm test` runs `npm run lint` first.
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// Attributes a user reads or hears (tooltips, screen-reader names, placeholders) and this console's
// components' text props; a string literal with a letter in any of them belongs in messages/.
const USER_VISIBLE_ATTRIBUTES = new Set(['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label', 'caption', 'empty', 'hint', 'text', 'legend', 'summary']);
const HAS_LETTER = /\p{L}/u;

/** Text in JSX that a reader sees, written in the code rather than taken from the message catalogues. */
const noJsxLiteral = {
  meta: { type: 'problem', messages: { literal: 'User-visible text "{{text}}" in JSX: put it in messages/*.json and use useTranslations/getTranslations.' }, schema: [] },
  create(context) {
    const report = (node, text) => context.report({ node, messageId: 'literal', data: { text: text.trim().slice(0, 40) } });
    /** A string literal in `{…}`: reported between tags, and in an attribute only when that attribute is read by users. */
    const checkExpression = (node) => {
      if (typeof node.value !== 'string' || !HAS_LETTER.test(node.value)) return;
      let container = node.parent;
      while (container && container.type !== 'JSXExpressionContainer') container = container.parent;
      const attribute = container?.parent?.type === 'JSXAttribute' ? container.parent : null;
      if (!attribute || USER_VISIBLE_ATTRIBUTES.has(attribute.name.name)) report(node, node.value);
    };
    return {
      JSXText(node) {
        if (HAS_LETTER.test(node.value)) report(node, node.value);
      },
      'JSXAttribute > Literal'(node) {
        if (USER_VISIBLE_ATTRIBUTES.has(node.parent.name.name) && typeof node.value === 'string' && HAS_LETTER.test(node.value)) report(node, node.value);
      },
      // `{'Save'}`, `{cond ? 'Yes' : 'No'}`, `{a || 'None'}`, `title={`…`}`.
      'JSXExpressionContainer > Literal, JSXExpressionContainer > ConditionalExpression > Literal, JSXExpressionContainer > LogicalExpression > Literal': checkExpression,
      'JSXExpressionContainer > TemplateLiteral'(node) {
        const text = node.quasis.map((quasi) => quasi.value.cooked ?? '').join('…');
        if (HAS_LETTER.test(text)) checkExpression({ ...node, value: text, parent: node.parent });
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: ['.next/', '.data/', '.cache/', '.test-results/', 'test-results/', 'playwright-report/', 'artifacts/', 'native/**/build/', 'next-env.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Type-aware, and worth their cost: a promise nobody awaits loses its error (an unhandled
      // rejection ends the Node process); a promise where a boolean or a void callback is expected
      // is always true, or runs unobserved.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // `_name` says "deliberately unused" (a rest sibling left out of an object, a callback's position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Outside text is untrusted: the sanitisers match control characters on purpose.
      'no-control-regex': 'off',
      // A file holds one purpose; past 400 lines it holds several.
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'server/model/**/*.ts'],
    rules: { 'max-lines': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**/*.ts', 'server/model/**/*.ts', 'server/sim/testing/**/*.ts'],
    rules: {
      // Tests await calls that the store layer is making asynchronous; awaiting a value there is harmless.
      '@typescript-eslint/await-thenable': 'off',
      // A fake server's async listener that throws is an unhandled rejection, which fails the run.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['components/**/*.tsx', 'app/**/*.tsx'],
    ignores: ['**/*.test.tsx'],
    plugins: { i18n: { rules: { 'no-jsx-literal': noJsxLiteral } } },
    rules: { 'i18n/no-jsx-literal': 'error' },
  },
  prettier,
);
