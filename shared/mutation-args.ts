/**
 * One input object per mutation (release 2026-12): every mutation takes `input: <Mutation>Input` (and
 * `idempotencyKey`). The arguments mutations took beside it before (`id`, `version`, `reason`, …) are
 * deprecated, still accepted, and read through `inputOrArgument`, so both shapes give the same write.
 */
import { badUserInput } from './errors';

/** The deprecation reason of an argument that moved into `input`. */
export const movedToInput = (field: string) => `Give it as input.${field} (one input object per mutation); this argument will be removed.`;

/** The options of an argument that moved into `input`: optional now, deprecated, described as before. */
export const movedArgument = (field: string, description: string) => ({ nullable: true, deprecationReason: movedToInput(field), description });

/** The description every `version` argument and input field has. */
export const VERSION_DESCRIPTION = 'The version you last read; a stale one is CONFLICT.';

/**
 * A value given in `input` or, the old way, as its own argument: one of the two is required; both,
 * differently, is BAD_USER_INPUT (which one was meant cannot be told).
 */
export function inputOrArgument<T>(field: string, fromInput: T | null | undefined, fromArgument: T | null | undefined): T {
  const given = fromInput ?? fromArgument;
  if (given === null || given === undefined) {
    throw badUserInput(`input.${field}`, 'is required', { reasonJa: '必須です' });
  }
  if (fromInput !== null && fromInput !== undefined && fromArgument !== null && fromArgument !== undefined && fromInput !== fromArgument) {
    throw badUserInput(`input.${field}`, `differs from the argument ${field}; give it once, in input`, {
      reasonJa: `引数 ${field} と値が異なります。input の中で一度だけ指定してください`,
    });
  }
  return given;
}

/**
 * Where the caller gave a value read through `inputOrArgument`: `input.<field>`, or the old argument's
 * name — what an error about that value names as its `argument`, so the caller finds it in their request.
 */
export function givenAt(field: string, fromInput: unknown): string {
  return fromInput === null || fromInput === undefined ? field : `input.${field}`;
}

/** The same for a value that may be left out altogether (e.g. the version of a record not made yet). */
export function optionalInputOrArgument<T>(field: string, fromInput: T | null | undefined, fromArgument: T | null | undefined): T | undefined {
  return (fromInput ?? fromArgument) === null || (fromInput ?? fromArgument) === undefined ? undefined : inputOrArgument(field, fromInput, fromArgument);
}
