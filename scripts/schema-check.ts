/**
 * `npm run schema:check`: the breaking-change check of the public API (schema.graphql) against the
 * last released one (schema.released.graphql), with graphql's own findBreakingChanges. A breaking
 * change fails unless CHANGELOG.md's "Unreleased" section names it by its coordinate (`Type.field`,
 * `Type.field(argument)`, `Type`); dangerous changes (e.g. a new enum value) are listed. On a release,
 * copy schema.graphql over schema.released.graphql and start a new "Unreleased" section.
 */
import { readCommandLine } from '../shared/command-line';
import { readFileSync } from 'node:fs';
import { type BreakingChange, type DangerousChange, buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';
import { projectPath } from '../shared/paths';

export const RELEASED_SCHEMA = projectPath('schema.released.graphql');
export const CURRENT_SCHEMA = projectPath('schema.graphql');
export const CHANGELOG = projectPath('CHANGELOG.md');

/** The coordinate a change is about, from graphql's description of it (e.g. "Query.municipality"). */
export function coordinateOf(change: BreakingChange | DangerousChange): string {
  const argument = /^([\w.]+) arg (\w+) /.exec(change.description);
  const [, owner] = /^([A-Za-z_]\w*(?:\.\w+)?)/.exec(change.description) ?? [];
  return argument ? `${argument[1]}(${argument[2]})` : (owner ?? change.description);
}

/** The text of CHANGELOG.md's Unreleased section. */
function unreleased(changelog: string): string {
  const match = /^## Unreleased\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog);
  return match?.[1] ?? '';
}

export function schemaCheck(
  released = readFileSync(RELEASED_SCHEMA, 'utf8'),
  current = readFileSync(CURRENT_SCHEMA, 'utf8'),
  changelog = readFileSync(CHANGELOG, 'utf8'),
) {
  const before = buildSchema(released);
  const after = buildSchema(current);
  const named = unreleased(changelog);
  const breaking = findBreakingChanges(before, after).map((change) => ({ ...change, coordinate: coordinateOf(change) }));
  return {
    unnamed: breaking.filter((change) => !named.includes(`\`${change.coordinate}\``)),
    breaking,
    dangerous: findDangerousChanges(before, after).map((change) => ({ ...change, coordinate: coordinateOf(change) })),
  };
}

if (require.main === module) {
  readCommandLine({
    usage:
      'Usage: npm run schema:check\nCompares schema.graphql with schema.released.graphql: every breaking change must be named in CHANGELOG.md (exit 1 when one is not).',
  });
  const { unnamed, breaking, dangerous } = schemaCheck();
  for (const change of dangerous) console.warn(`dangerous: ${change.description}`);
  for (const change of breaking) console.log(`breaking${unnamed.includes(change) ? '' : ' (named in CHANGELOG.md)'}: ${change.description}`);
  if (unnamed.length > 0) {
    console.error(`${unnamed.length} breaking change(s) not named in CHANGELOG.md's Unreleased section (by coordinate, e.g. \`${unnamed[0].coordinate}\`).`);
    process.exit(1);
  }
  console.log(`schema.graphql against the released schema: ${breaking.length} breaking (all named), ${dangerous.length} dangerous.`);
}
