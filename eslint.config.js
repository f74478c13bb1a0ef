import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

// The layers (docs/decisions/0009-layers-and-folders.md): services ← models ← auth ← routes; components
// render; server/ runs the build. Each rule below names what a folder may not import and why.
const noDrizzle = {
  group: ['drizzle-orm', 'drizzle-orm/*'],
  message: 'Routes call model functions; only app/models and app/services import Drizzle.',
}
const noDb = {
  group: ['~/services/db.server'],
  message: 'Queries belong in app/models; call a model function.',
}
const noShopInServices = {
  group: ['~/models/*', '~/models/**', '~/routes/*', '~/components/*', '~/auth/*', '~/seed/*', '../models/*', '../routes/*', '../components/*', '../auth/*', '../seed/*', '../../*'],
  message: 'app/services is infrastructure that knows nothing of the shop: it imports nothing from models, routes, components, auth or seed.',
}
const noRequestInModels = {
  group: ['~/routes/*', '~/components/*', '~/auth/*'],
  message: 'Models never read a request nor render: routes and auth call models, not the other way round.',
}
const noRoutesOrComponents = {
  group: ['~/routes/*', '~/components/*'],
  message: 'Sign-in and the seed work below the pages: they import no route or component.',
}
const noSeed = {
  group: ['~/seed/*'],
  message: 'The demo shop (app/seed) is loaded by startup only.',
}
const noServerInComponents = {
  group: ['~/**/*.server', './*.server', '../**/*.server', '~/routes/*', '~/auth/*', '~/seed/*'],
  message: 'Components render what they are given: no server module (not even a type), no route, auth or seed. Put shared types in a plain module.',
}
const onlyTheBuild = {
  group: ['~/*', '~/**', '**/app/*', '**/app/**'],
  allowTypeImports: true,
  message: 'server/ runs the built app only (server/build.ts), so each app module is loaded once: export what it needs from app/entry.server.tsx.',
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
    // No import cycles in the app or the server: a cycle means two modules are one job in two files.
    files: ['app/**/*.{ts,tsx}', 'server/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Routes reach the database only through app/models.
    files: ['app/routes/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDrizzle, noDb, noSeed] }] },
  },
  {
    files: ['app/components/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDrizzle, noDb, noServerInComponents] }] },
  },
  {
    files: ['app/services/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noShopInServices] }] },
  },
  {
    files: ['app/models/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRequestInModels, noSeed] }] },
  },
  {
    // Startup loads the demo into an empty embedded database.
    files: ['app/models/startup.server.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRequestInModels] }] },
  },
  {
    // The jobs page's status reads pg-boss's own tables (pgboss.job, pgboss.archive, pgboss.queue),
    // not the shop's: the one module of app/jobs that queries, beside the kinds it describes.
    files: ['app/jobs/status.server.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRequestInModels, noSeed] }] },
  },
  {
    files: ['app/auth/**', 'app/seed/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noRoutesOrComponents] }] },
  },
  {
    files: ['server/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [onlyTheBuild] }],
    },
  },
  {
    files: ['scripts/**', 'tests/**', '*.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
)
