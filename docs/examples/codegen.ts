/**
 * GraphQL Code Generator (client preset): typed documents for the explorer's saved questions, from the
 * published schema. `LocalDate` is a string YYYY-MM-DD, `DateTime` an RFC 3339 string in UTC. Run: `npx graphql-codegen --config docs/examples/codegen.ts`.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['gateway/explorer/operations/*.graphql'],
  generates: {
    'generated/graphql/': {
      preset: 'client',
      config: {
        scalars: { LocalDate: { input: 'string', output: 'string' }, DateTime: { input: 'string', output: 'string' } },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
