import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through config/config.ts, never process.env directly.',
        },
      ],
    },
  },
  {
    // The domain must not know about Teams: the bot layer can then move to another SDK.
    files: ['storage/**/*.ts', 'cards/**/*.ts', 'tab/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', '@microsoft/teams-ai', 'botframework-*', '**/bot', '**/bot/**'],
              message: 'Keep botbuilder in bot/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain imports nothing outside itself: storage, cards and the bot depend on it, never the reverse.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['botbuilder*', '@microsoft/teams-ai', 'botframework-*', '@azure/*'],
              message: 'The domain does not know Teams or Azure.',
            },
            {
              group: [
                '**/bot',
                '**/bot/**',
                '**/storage',
                '**/storage/**',
                '**/cards',
                '**/cards/**',
                '**/cli/**',
                '**/config/**',
              ],
              message: 'The domain imports nothing outside domain/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The tab's own scripts run in the browser, beside the Teams client library.
    files: ['tab/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['config/config.ts', 'test/**/*.ts', 'bench/**/*.ts', '.ci/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
