/** Unit, integration (real PostgreSQL) and end-to-end (real HTTP through the gateway) tests. */
const swcOptions = require('./tests/helpers/swc-options');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // The OTLP exporter loads `http` with import(), which Jest's CommonJS runtime cannot run: as
    // CommonJS, import() becomes require(). (Node itself runs the exporter as shipped.)
    '/node_modules/@opentelemetry/otlp-exporter-base/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs', ignoreDynamic: false } }],
    '^.+\\.(t|j)s$': ['@swc/jest', swcOptions],
  },
  // jose is ESM-only: let swc turn it into CommonJS for the test runtime; and the OTLP exporter (above).
  transformIgnorePatterns: ['^(?!.*/@opentelemetry/otlp-exporter-base/).*/node_modules/(?!jose/)'],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
  testTimeout: 60000,
  // Test files run in a worker that is replaced once it holds more than this after a file: run in one process
  // (what Jest does on two cores), the files' stacks — each its own Apollo Gateway, schemas and pools — piled up
  // to the 4 GB heap limit and the run died at its end (heap out of memory) with every test passed.
  workerIdleMemoryLimit: '1536MB',
};
