// Lets a child `node` process run the TypeScript sources directly (node -r ./tests/helpers/register-ts.js
// gateway/main.ts), compiled with swc the way Jest compiles them, so a process test runs exactly the
// code under test and never a stale dist/.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
