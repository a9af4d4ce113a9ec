/**
 * Who may import whom, checked over the whole import graph by dependency-cruiser
 * (`npm run typecheck` runs it after `tsc -b`). The TypeScript build enforces
 * the same boundaries through project references (README, "Layout"); this
 * check says it in words, follows re-exports and dynamic import() to the end,
 * and covers npm modules the compiler would resolve anyway.
 *
 * Product code is everything in the packages except tests (*.test.ts[x]),
 * package-private fixtures (testing.ts, test-data.ts, fixtures/) and the test kit.
 */
const TESTS = '\\.test\\.tsx?$|/testing\\.ts$|/test-data\\.ts$|/fixtures/';
const TEST_SUPPORT = `^shared/testkit/|${TESTS}`;
/** The one part of the server that may open what a policy mode makes readable (@envelope/lawful-access; docs/lawful-access.md). */
const LAWFUL_ACCESS = '^server/lawful-access/';
/** The modules that make end-to-end encryption: nothing on the server may reach them. */
const DECRYPTING = '^shared/crypto/|^shared/client/|^client/';
/** The packages whose code runs in the browser. */
const BROWSER = '^shared/(crypto-public|protocol|crypto|client)/';

module.exports = {
  forbidden: [
    {
      name: 'server-cannot-decrypt',
      comment:
        'The relay carries envelopes it cannot open: no server file may reach the decrypting core or the ' +
        'client, directly, through a re-export, or by a dynamic import(). The one exception is ' +
        `${LAWFUL_ACCESS}, which must obey lawful-access-opens-only-what-a-mode-makes-readable.`,
      severity: 'error',
      from: { path: '^server/', pathNot: `${LAWFUL_ACCESS}|${TEST_SUPPORT}` },
      to: { path: DECRYPTING, reachable: true },
    },
    {
      name: 'server-holds-no-libsodium',
      comment:
        'The server uses @envelope/crypto-public for signatures and stamps; it never holds libsodium itself ' +
        '(whoever holds the library can decrypt). Only the named exception may.',
      severity: 'error',
      from: { path: '^server/', pathNot: `${LAWFUL_ACCESS}|${TEST_SUPPORT}` },
      to: { path: '(^|/)node_modules/libsodium-wrappers(-sumo)?/|^shared/crypto-public/libsodium\\.ts$' },
    },
    {
      name: 'lawful-access-opens-only-what-a-mode-makes-readable',
      comment:
        'The content-access modes (transport-only, key escrow) make some messages readable to the server; ' +
        'the code that reads them lives in server/lawful-access/ and never touches the Double Ratchet, ' +
        'sessions, handshakes, sealed sender or the client.',
      severity: 'error',
      from: { path: LAWFUL_ACCESS, pathNot: TEST_SUPPORT },
      to: { path: `${DECRYPTING}|^shared/testkit/`, reachable: true },
    },
    {
      name: 'lawful-access-stands-apart-from-the-server',
      comment:
        'The exception is a package of its own: it does not reach into the rest of the server (which imports it, ' +
        'through the composition root), so what it can do is what its own files say.',
      severity: 'error',
      from: { path: LAWFUL_ACCESS, pathNot: TEST_SUPPORT },
      to: { path: '^server/', pathNot: LAWFUL_ACCESS },
    },
    {
      name: 'only-the-composition-root-wires-lawful-access',
      comment:
        'The rest of the server reaches the exception only where the server is put together (server/app.ts), ' +
        'which hands its parts to the relay, the routes and the warrant answer as plain interfaces: no other ' +
        'server file can call it directly.',
      severity: 'error',
      from: { path: '^server/', pathNot: `^server/app\\.ts$|${LAWFUL_ACCESS}|${TEST_SUPPORT}` },
      to: { path: LAWFUL_ACCESS },
    },
    {
      name: 'libsodium-stays-inside-crypto-public',
      comment:
        "crypto-public's libsodium.ts hands out the whole library; only crypto-public's own files may import " +
        'it (its index exports what is safe: cryptoReady, randomBytes, signatures...).',
      severity: 'error',
      from: { pathNot: '^shared/crypto-public/' },
      to: { path: '^shared/crypto-public/libsodium\\.ts$' },
    },
    {
      name: 'browser-code-uses-no-node-modules',
      comment:
        'The protocol, both crypto packages and the client core run unchanged in the browser: no Node ' +
        'built-ins, no Node-only npm modules.',
      severity: 'error',
      from: { path: BROWSER, pathNot: TESTS },
      to: {
        dependencyTypesNot: ['type-only'],
        path: '(^|/)node_modules/(ws|express|better-sqlite3|vite|tsx)/|^node:|^(fs|path|os|crypto|child_process|http|https|net|url|util|stream|worker_threads)$',
      },
    },
    {
      name: 'browser-code-uses-no-node-builtins',
      comment: 'As browser-code-uses-no-node-modules, for Node built-ins however they are named.',
      severity: 'error',
      from: { path: BROWSER, pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'product-code-uses-no-test-support',
      comment: 'The test kit, tests and fixtures never ship: no product file may import them.',
      severity: 'error',
      from: { path: '^(shared|server|client)/', pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'packages-import-packages-by-name',
      comment:
        'A product file reaches another package through its name (@envelope/...) and "exports" map, never by a ' +
        'relative path into its files.',
      severity: 'error',
      from: { path: '^(shared/[^/]+|server/lawful-access|server|client/[^/]+)/', pathNot: TEST_SUPPORT },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], pathNot: '^$1/' },
    },
    {
      name: 'dependencies-are-declared',
      comment: "Product code imports only npm modules its own package.json lists (so the package's manifest tells the truth).",
      severity: 'error',
      from: { path: '^(shared|server|client)/', pathNot: TEST_SUPPORT },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(\\.tsbuild|dist|data|bench/\\.libsignal|test-results)/' },
    // Type-only imports count: a declaration is how a type reaches the server.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
    moduleSystems: ['es6'],
  },
};
