/**
 * Every GraphQL example of the README runs as written: each ```graphql block is sent through the gateway
 * and answers without errors — as an admin, or with the token its comment names
 * (`# npm run token -- --role advisor --prefecture 01`: the first sample advisor, as `npm run token` gives).
 * A block of several operations runs each by name, in order; an operation with `$id` gets the id the
 * block's first operation answered, as the comment in the block tells a reader to do.
 */
import { readFileSync } from 'node:fs';
import { parse, type OperationDefinitionNode } from 'graphql';
import type { Role } from '../../shared/context';
import { projectPath } from '../../shared/paths';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const readme = readFileSync(projectPath('README.md'), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({
  index: i + 1,
  text: m[1],
  line: readme.slice(0, m.index).split('\n').length + 1,
}));

it('has GraphQL examples', () => expect(blocks.length).toBeGreaterThan(10));

/** The first `id` anywhere in an answer. */
const firstId = (value: unknown): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
  for (const inner of Object.values(value)) {
    const id = firstId(inner);
    if (id) return id;
  }
  return undefined;
};

it.each(blocks.map((b) => [`block ${b.index} (README line ${b.line})`, b.text]))('%s runs without errors', async (_name, text) => {
  const token = /# npm run token -- --role (\w+) --prefecture (\d{2})/.exec(text);
  const role = token?.[1].toUpperCase() as Role | undefined;
  const headers = role ? await stack.as(role, token![2], role === 'ADVISOR' ? sampleAdvisorSubject(token![2], 1) : undefined) : stack.asAdmin;
  const operations = parse(text).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  let id: string | undefined;
  for (const operation of operations) {
    const name = operation.name?.value ?? null;
    const needsId = operation.variableDefinitions?.some((v) => v.variable.name.value === 'id');
    const response = await fetch(new URL('/graphql', stack.gateway.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: text, operationName: name, variables: needsId ? { id } : {} }),
    });
    const body = await response.json();
    expect({ operation: name, errors: body.errors }).toEqual({ operation: name, errors: undefined });
    id ??= firstId(body.data);
  }
});
