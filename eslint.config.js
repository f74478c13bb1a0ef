import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noDrizzle = {
  group: ['drizzle-orm', 'drizzle-orm/*'],
  message: 'Routes call model functions; only app/models and app/services import Drizzle.',
}
const noDb = {
  group: ['~/services/db.server'],
  message: 'Queries belong in app/models; call a model function.',
}
const noServer = {
  group: ['*.server'],
  message: 'Components render only: put the types and pure helpers they need in a plain module (app/models/*.ts).',
}

export default tseslint.config(
  { ignores: ['build/', 'node_modules/', '.cache/', 'data/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [noDrizzle] }],
    },
  },
  {
    // Routes and components reach the database only through app/models.
    files: ['app/routes/**', 'app/components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDrizzle, noDb] }] },
  },
  {
    // Components are bundled for the browser too: not even a type comes from a server module.
    files: ['app/components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDrizzle, noDb, noServer] }] },
  },
  {
    files: ['app/models/**', 'app/services/**', 'scripts/**', 'tests/**', '*.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The server runs the built app only (server/build.ts), so that each app module is loaded once.
    files: ['server/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/*', '**/app/*'],
              allowTypeImports: true,
              message: 'The server imports the built app only: export what it needs from app/entry.server.tsx.',
            },
          ],
        },
      ],
    },
  },
)
