/**
 * Every element of the public API is described (English, with the Japanese term): each type, field,
 * argument, input field and enum value of schema.graphql. A new element without a description fails here.
 */
import { readFileSync } from 'node:fs';
import { type GraphQLSchema, buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { projectPath } from '../../shared/paths';

/** The coordinates of the elements without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}

const sdl = readFileSync(projectPath('schema.graphql'), 'utf8');

it('describes every type, field, argument, input field and enum value of the public API', () => {
  expect(undescribed(buildSchema(sdl))).toEqual([]);
});

it('notices one missing description', () => {
  const withoutOne = sdl.replace(/"""\n {2}The same as `code`, under the name caches look for[^"]*"""\n {2}id: ID!/, 'id: ID!');
  expect(withoutOne).not.toBe(sdl);
  expect(undescribed(buildSchema(withoutOne))).toEqual(expect.arrayContaining([expect.stringMatching(/^(Municipality|Prefecture)\.id$/)]));
});
