// Lets a child `node` process run the TypeScript sources directly (node -r ./tests/helpers/register-ts.js
// gateway/main.ts), compiled with swc as Jest compiles them (swc-options.js), so a process test runs
// exactly the code under test and never a stale dist/.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('./swc-options');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};
