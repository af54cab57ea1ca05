/**
 * Every GraphQL example of the README and of the Japanese guide (README.ja.md) runs as written: each ```graphql block is sent through the gateway
 * and answers without errors — as an admin, or with the token its comment names
 * (`# npm run token -- --role advisor --prefecture 01`: the first sample advisor, as `npm run token` gives).
 * A block of several operations runs each by name, in order; an operation with `$id` (or `$version`) gets the
 * id (or version) the block's first operation answered, as the comment in the block tells a reader to do.
 */
import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import type { Role } from '../../shared/context';
import { addDays, todayInJapan } from '../../shared/dates';
import { projectPath } from '../../shared/paths';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** The GraphQL blocks of the README and of the Japanese guide for staff. */
const blocks = ['README.md', 'README.ja.md'].flatMap((file) => {
  const text = readFileSync(projectPath(file), 'utf8');
  return [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({
    name: `${file} block ${i + 1} (line ${text.slice(0, m.index).split('\n').length + 1})`,
    text: m[1],
  }));
});

it('has GraphQL examples in both', () => {
  expect(blocks.filter((b) => b.name.startsWith('README.md')).length).toBeGreaterThan(10);
  expect(blocks.filter((b) => b.name.startsWith('README.ja.md')).length).toBeGreaterThanOrEqual(3);
});

/** The first `id` (or `version`, …) anywhere in an answer. */
const first = (value: unknown, key: 'id' | 'version'): unknown => {
  if (value === null || typeof value !== 'object') return undefined;
  const own = (value as Record<string, unknown>)[key];
  if (own !== undefined && own !== null) return own;
  for (const inner of Object.values(value)) {
    const found = first(inner, key);
    if (found !== undefined) return found;
  }
  return undefined;
};

it.each(blocks.map((b) => [b.name, b.text]))('%s runs without errors', async (_name, text) => {
  const token = /# npm run token -- --role (\w+) --prefecture (\d{2})/.exec(text);
  const role = token?.[1].toUpperCase() as Role | undefined;
  const headers = role ? await stack.as(role, token![2], role === 'ADVISOR' ? sampleAdvisorSubject(token![2], 1) : undefined) : stack.asAdmin;
  const operations = parse(text).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  let id: unknown;
  let version: unknown;
  for (const operation of operations) {
    const name = operation.name?.value ?? null;
    const declared = new Set(operation.variableDefinitions?.map((v) => v.variable.name.value));
    // The values the block's comments tell a reader to supply.
    const variables = {
      ...(declared.has('id') ? { id } : {}),
      ...(declared.has('version') ? { version } : {}),
      ...(declared.has('expiresOn') ? { expiresOn: addDays(todayInJapan(), 30) } : {}),
    };
    const response = await fetch(new URL('/graphql', stack.gateway.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text, operationName: name, variables }),
    });
    const body = await response.json();
    expect({ operation: name, errors: body.errors }).toEqual({ operation: name, errors: undefined });
    id ??= first(body.data, 'id');
    version ??= first(body.data, 'version');
  }
});
