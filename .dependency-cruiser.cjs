/**
 * The architecture's boundaries (README "How it is built"), checked on every `npm test`:
 * subgraphs never import each other, shared code imports no service, the gateway knows the subgraphs
 * only through the supergraph.
 */
module.exports = {
  forbidden: [
    {
      name: 'subgraphs-stay-apart',
      comment: 'A subgraph never imports another subgraph: they meet only in the supergraph.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/', pathNot: ['^subgraphs/$1/'] },
    },
    {
      name: 'shared-imports-no-service',
      comment: 'shared/ is used by every service and imports none of them.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(subgraphs|gateway|scripts|bench|tests)/' },
    },
    {
      name: 'gateway-knows-subgraphs-only-through-the-supergraph',
      comment: 'The gateway reads gateway/supergraph.graphql and the subgraph URLs, never subgraph code.',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(subgraphs|scripts|bench)/' },
    },
    {
      name: 'services-import-no-tooling',
      comment: 'Subgraphs do not import the gateway, scripts, benchmarks or tests.',
      severity: 'error',
      from: { path: '^subgraphs/' },
      to: { path: '^(gateway|scripts|bench|tests)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(shared|subgraphs|gateway)/' },
      // Type-only cycles (a context type used by the module that builds it) are erased at compile time.
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
