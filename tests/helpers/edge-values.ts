/**
 * Arguments for every field of the API, built from the schema: a typical value of each argument, and the
 * values at the edges of each input — what a careless or hostile client sends — one at a time, so that a
 * test can send each field each of them (tests/security/5-bad-input.test.ts). Driven by the schema, so a field
 * or input added later is sent them too.
 */
import {
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';

/** A value the type takes (an input object's required fields). `ids` gives an existing record's id by argument name. */
export function typicalValue(type: GraphQLInputType, name: string, ids: (name: string) => string | undefined): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [typicalValue(inner.ofType, name, ids)];
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, typicalValue(f.type, f.name, ids)]));
  }
  return typicalScalar(getNamedType(inner), name, ids);
}

function typicalScalar(type: GraphQLNamedType, name: string, ids: (name: string) => string | undefined): unknown {
  switch (type.name) {
    case 'Int':
      return /version/i.test(name) ? 1 : /fiscalYear/i.test(name) ? 2025 : 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'LocalDate':
      return '2025-04-01';
    case 'ID':
      if (/prefecture/i.test(name)) return '01';
      if (/municipalit|^codes?$/i.test(name)) return '011002';
      return ids(name) ?? '7d7d7d7d-0000-4000-8000-000000000000';
    default:
      return /prefecture/i.test(name) ? '01' : /municipalit/i.test(name) ? '011002' : '○○';
  }
}

/** Values at the edges of a scalar, list or nullable input. */
export function edgeValues(type: GraphQLInputType, typical: unknown): unknown[] {
  const values: unknown[] = [];
  if (!isNonNullType(type)) values.push(null);
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = (typical as unknown[])[0];
    values.push(
      [],
      [item, item],
      Array.from({ length: 3000 }, () => item),
    );
    return values;
  }
  switch (getNamedType(inner).name) {
    case 'Int':
      return [...values, 2147483647, -2147483648, -1, 0];
    case 'Float':
      return [...values, -1, 1e308, 0];
    case 'Boolean':
      return [...values, false];
    case 'LocalDate':
      return [...values, '0001-01-01', '9999-12-31', '2024-02-29', '1900-01-01'];
    default:
      if (isEnumType(inner) || isInputObjectType(inner)) return values;
      return [...values, '', ' ', 'あ'.repeat(20_000), 'a\u0000b', '\'";--', '𠮷野家', '-1', '99999999999999999999', '%', '011003', '00', 'ak.x.y'];
  }
}

/** Each place in an argument's value an edge value can go: the argument itself, and every field of its input objects (of a list's first item). */
export function* inputPlaces(type: GraphQLInputType, path: Array<string | number>): Generator<{ path: Array<string | number>; type: GraphQLInputType }> {
  yield { path, type };
  const inner = getNullableType(type);
  const object = isListType(inner) ? getNullableType(inner.ofType) : inner;
  const at = isListType(inner) ? [...path, 0] : path;
  if (isInputObjectType(object)) for (const field of Object.values(object.getFields())) yield* inputPlaces(field.type, [...at, field.name]);
}

/** `value` with `replacement` at `path` (made where missing). */
export function withValueAt(value: Record<string, unknown>, path: Array<string | number>, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let node: Record<string | number, unknown> = copy;
  for (let i = 0; i < path.length - 1; i += 1) {
    node[path[i]] ??= typeof path[i + 1] === 'number' ? [] : {};
    node = node[path[i]] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = replacement;
  return copy;
}

/** The variables of each case of a field: its typical (required) arguments, then one edge value at one place at a time. */
export function argumentCases(args: readonly GraphQLArgument[], ids: (name: string) => string | undefined): Array<Record<string, unknown>> {
  const typical = Object.fromEntries(args.filter((a) => isNonNullType(a.type)).map((a) => [a.name, typicalValue(a.type, a.name, ids)]));
  const cases: Array<Record<string, unknown>> = [typical];
  for (const arg of args)
    for (const { path, type } of inputPlaces(arg.type, [arg.name])) {
      const here = path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], typical);
      const sample = here ?? typicalValue(type, String(path[path.length - 1]), ids);
      for (const edge of edgeValues(type, sample)) cases.push(withValueAt(typical, path, edge));
    }
  return cases;
}
