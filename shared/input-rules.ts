/**
 * Limits on every input, checked once per operation before anything runs — at the gateway (so bad
 * input never reaches a subgraph) and again in each subgraph (which owns its data). The rules go by
 * argument or input-field name, the same in all four subgraphs, so one table documents them all
 * (README "Input limits"; a test fails when the API gains a text, list or date input without an entry):
 *
 * - text: no character `characterProblem` refuses (NUL and lone surrogates, which PostgreSQL cannot store;
 *   control characters; bidirectional overrides), and at most `TEXT_LIMITS[name]` characters;
 * - lists: at most `LIST_LIMITS[name]` items;
 * - dates (LocalDate): a real calendar date YYYY-MM-DD, within the range of `DATE_RANGES[name]`.
 *
 * Messages name the argument path (`input.topics[3]`) and the reason in English and Japanese; they
 * quote the value received except for free text, which may identify a person.
 */
import {
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLError,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  Kind,
  getNamedType,
  isCompositeType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
} from 'graphql';
import { SUBJECT_MAX_LENGTH } from './context';
import { badUserInput } from './errors';
import { isLocalDate } from './scalars';
import { addMonths, todayInJapan } from './dates';
import { fiscalYearError } from './fiscal-year';
import { isBidiControl, isControlCharacter } from './text';

/** Maximum characters per text input, by name. */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
  notes: 10_000,
  summary: 4_000,
  issuesFound: 4_000,
  response: 4_000,
  description: 2_000,
  comment: 2_000,
  reason: 1_000,
  name: 200,
  operatorName: 200,
  organizationName: 200,
  hostOrganization: 200,
  sourceName: 200,
  topics: 200,
  role: 100,
  affiliation: 200,
  qualifications: 100,
  // A token subject (linkAdvisorSubject) as tokens may carry it; a reader in the notes-read audit: a role, ':' and one.
  subject: SUBJECT_MAX_LENGTH,
  reader: SUBJECT_MAX_LENGTH + 40,
  occupation: 100,
  text: 100,
  idempotencyKey: 200,
  after: 500,
  // Ids and codes: far longer than any real one, short enough to quote in a message.
  id: 100,
  code: 100,
  baseId: 100,
  visitId: 100,
  participantId: 100,
  ownerAdvisorId: 100,
  itemId: 100,
  templateId: 100,
  prefectureCode: 100,
  municipalityCode: 100,
  advisorIds: 100,
  municipalityCodes: 100,
  prefectureCodes: 100,
  codes: 100,
  allowedOperations: 100,
};
/** Any other text input. */
export const DEFAULT_TEXT_LIMIT = 200;

/** Maximum items per list input, by name. */
export const LIST_LIMITS: Readonly<Record<string, number>> = {
  codes: 2_000,
  municipalityCodes: 2_000,
  prefectureCodes: 47,
  advisorIds: 20,
  topics: 30,
  attendees: 30,
  results: 300,
  dates: 50,
  purposes: 6,
  functions: 10,
  regions: 8,
  kinds: 6,
  brackets: 5,
  setups: 3,
  models: 3,
  gaps: 20,
  missing: 10,
  qualifications: 10,
  duties: 7,
  advisorPositions: 20,
  allowedOperations: 50,
};
/** Any other list input. */
export const DEFAULT_LIST_LIMIT = 100;

/** A date range: the earliest date, and how far after today (in Japan) a date may be. */
export interface DateRange {
  min: string;
  maxYearsAhead: number;
}
/** Dates a change records: nothing before the support system existed, nothing far in the future. */
export const DATE_RANGES: Readonly<Record<string, DateRange>> = {
  date: { min: '2000-01-01', maxYearsAhead: 0 },
  assessedOn: { min: '2000-01-01', maxYearsAhead: 0 },
  raisedOn: { min: '2000-01-01', maxYearsAhead: 0 },
  reviewedOn: { min: '2000-01-01', maxYearsAhead: 0 },
  completedOn: { min: '2000-01-01', maxYearsAhead: 0 },
  sourceAsOf: { min: '2000-01-01', maxYearsAhead: 0 },
  // Notes of visits before this day are erased: a day that has come.
  visitedBefore: { min: '2000-01-01', maxYearsAhead: 0 },
  establishedOn: { min: '1990-01-01', maxYearsAhead: 1 },
  startedOn: { min: '1990-01-01', maxYearsAhead: 1 },
  closedOn: { min: '1990-01-01', maxYearsAhead: 5 },
  endedOn: { min: '1990-01-01', maxYearsAhead: 5 },
  dueOn: { min: '2000-01-01', maxYearsAhead: 5 },
  activeFrom: { min: '2000-01-01', maxYearsAhead: 1 },
  activeUntil: { min: '2000-01-01', maxYearsAhead: 5 },
  // An API key's last day: at most a year ahead (the mutation checks the exact day).
  expiresOn: { min: '2000-01-01', maxYearsAhead: 2 },
};
/** Any other date, e.g. `asOf` of a question: a century either way. */
export const DEFAULT_DATE_RANGE: DateRange = { min: '1900-01-01', maxYearsAhead: 75 };

/** Inputs that are a fiscal year (年度, the calendar year it starts in), checked against the years the API answers about. */
const FISCAL_YEAR_INPUTS: ReadonlySet<string> = new Set(['fiscalYear', 'sinceFiscalYear']);

const LOCAL_DATE = 'LocalDate';
/** Federation's own arguments (`_entities` representations) come from the gateway, not from a client. */
const SKIPPED_FIELDS = new Set(['_entities', '_service']);

/**
 * The first character no text input accepts, with its position (in UTF-16 units, from 1) and the reason in both
 * languages; null when there is none. Read by every text of the API and every cell of an import:
 *
 * - what PostgreSQL cannot store: NUL, a lone UTF-16 surrogate (both used to fail inside the database);
 * - control characters other than tab and line breaks (C0, DEL, C1): no text shows them, and in a terminal
 *   (the import CLI, a log read with `cat`) an escape sequence moves the cursor, hides lines or sets the clipboard;
 * - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the text
 *   around them as it is shown (a name in a list, a cell in Excel) so it reads as something other than it is
 *   stored ("Trojan Source", CVE-2021-42574). Japanese text has no use for them.
 *
 * Read as a loop over UTF-16 units, not a regular expression: linear on any text, and each kind named.
 */
export function characterProblem(text: string): { position: number; reason: string; reasonJa: string } | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const position = i + 1;
    const codePoint = `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
    if (unit === 0)
      return {
        position,
        reason: `contains a NUL character (U+0000) at character ${position}, which cannot be stored`,
        reasonJa: `${position}文字目に保存できないNUL文字（U+0000）が含まれています`,
      };
    if (isControlCharacter(unit))
      return {
        position,
        reason: `contains a control character (${codePoint}) at character ${position}, which no text shows: delete it`,
        reasonJa: `${position}文字目に表示されない制御文字（${codePoint}）が含まれています。削除してください`,
      };
    if (isBidiControl(unit))
      return {
        position,
        reason: `contains a bidirectional control character (${codePoint}) at character ${position}, which reorders how the text around it is shown: delete it`,
        reasonJa: `${position}文字目に前後の文字の表示順を入れ替える双方向制御文字（${codePoint}）が含まれています。削除してください`,
      };
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const next = text.charCodeAt(i + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) i++;
    else if (high || (unit >= 0xdc00 && unit <= 0xdfff))
      return {
        position,
        reason: `contains a broken character (a lone UTF-16 surrogate) at character ${position}`,
        reasonJa: `${position}文字目に不正な文字（対になっていないサロゲート）が含まれています`,
      };
  }
  return null;
}

/** Ids, codes and dates are quoted in messages; free text (which may identify a person) is not. */
export const isQuotable = (name: string, typeName: string) => typeName === LOCAL_DATE || typeName === 'ID' || (TEXT_LIMITS[name] ?? DEFAULT_TEXT_LIMIT) <= 100;

function checkText(value: string, name: string, typeName: string, path: string): GraphQLError | null {
  const bad = characterProblem(value);
  if (bad) return badUserInput(path, bad.reason, { reasonJa: bad.reasonJa });
  const max = TEXT_LIMITS[name] ?? DEFAULT_TEXT_LIMIT;
  if (value.length > max) {
    return badUserInput(path, `must be at most ${max} characters, got ${value.length}`, {
      reasonJa: `${max}文字以内で入力してください（${value.length}文字）`,
      ...(isQuotable(name, typeName) ? { value: value.slice(0, 100) } : {}),
    });
  }
  return null;
}

function checkDate(value: string, name: string, path: string, mutation: boolean, today: string): GraphQLError | null {
  if (!isLocalDate(value)) {
    return badUserInput(path, 'must be a calendar date written YYYY-MM-DD (e.g. 2025-04-01)', {
      value,
      reasonJa: '実在する日付を YYYY-MM-DD 形式で指定してください（例: 2025-04-01）',
    });
  }
  const problem = dateRangeProblem(value, (mutation && DATE_RANGES[name]) || DEFAULT_DATE_RANGE, today);
  return problem && badUserInput(path, problem.reason, { value, reasonJa: problem.reasonJa });
}

/** Why a date (YYYY-MM-DD) is outside `range` on `today` (the date in Japan); null inside it. The API and the imports say the same. */
export function dateRangeProblem(value: string, range: DateRange, today: string): { reason: string; reasonJa: string } | null {
  const max = addMonths(today, 12 * range.maxYearsAhead);
  if (value >= range.min && value <= max) return null;
  const ahead = range.maxYearsAhead === 0 ? 'today' : `${range.maxYearsAhead} year(s) after today`;
  const aheadJa = range.maxYearsAhead === 0 ? '今日' : `今日から${range.maxYearsAhead}年後`;
  return { reason: `must be from ${range.min} to ${max} (${ahead})`, reasonJa: `${range.min}から${max}（${aheadJa}）までの日付にしてください` };
}

/** A period's end (`until`, `to`) given before its start: BAD_USER_INPUT on the end, in both languages (nothing when either is absent). */
export function assertPeriodOrder(start: { name: string; value?: string | null }, end: { name: string; value?: string | null }): void {
  if (start.value && end.value && end.value < start.value) {
    throw badUserInput(end.name, `must not be before ${start.name}`, {
      value: end.value,
      reasonJa: `${start.name}（${start.value}）より前の日付は指定できません`,
    });
  }
}

/** A date in a query (an export's `asOf`, say): a real calendar date within the range every query date has. */
export function queryDateProblem(value: string, argument: string): GraphQLError | null {
  return checkDate(value, argument, argument, false, todayInJapan());
}

interface Walk {
  mutation: boolean;
  today: string;
}

/** Checks one value against its input type; `name` is the argument or field it was given for. */
function checkValue(value: unknown, type: GraphQLInputType, name: string, path: string, walk: Walk): GraphQLError | null {
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const items = Array.isArray(value) ? value : [value]; // GraphQL's input coercion takes one item as a list
    const max = LIST_LIMITS[name] ?? DEFAULT_LIST_LIMIT;
    if (items.length > max) {
      return badUserInput(path, `lists at most ${max} items, got ${items.length}`, {
        reasonJa: `${max}件以内で指定してください（${items.length}件）`,
      });
    }
    for (let i = 0; i < items.length; i += 1) {
      const error = checkValue(items[i], inner.ofType, name, `${path}[${i}]`, walk);
      if (error) return error;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object' || Array.isArray(value)) return null; // GraphQL's own coercion refuses it
    const fields = inner.getFields();
    for (const [key, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field: GraphQLInputField | undefined = fields[key];
      if (!field) continue;
      const error = checkValue(fieldValue, field.type, key, `${path}.${key}`, walk);
      if (error) return error;
    }
    return null;
  }
  const typeName = (inner as GraphQLNamedType).name;
  // A fiscal year out of range is refused here as a date out of range is: before any subgraph is asked.
  if (typeName === 'Int' && FISCAL_YEAR_INPUTS.has(name) && typeof value === 'number') return fiscalYearError(value, path);
  if (typeof value !== 'string') return null;
  return checkText(value, name, typeName, path) ?? (typeName === LOCAL_DATE ? checkDate(value, name, path, walk.mutation, walk.today) : null);
}

/** Raw (uncoerced) values of a field's arguments, variables substituted. */
function argumentValues(node: { arguments?: readonly { name: { value: string }; value: import('graphql').ValueNode }[] }, variables: Record<string, unknown>) {
  return (node.arguments ?? []).map((a) => ({ name: a.name.value, value: valueFromASTUntyped(a.value, variables) }));
}

/**
 * The first input of the operation that breaks a rule, as a BAD_USER_INPUT error (null when all is
 * well). Unknown fields and types are left to GraphQL's validation.
 */
export function checkOperationInputs(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  today: string = todayInJapan(),
): GraphQLError | null {
  const vars = variables ?? {};
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const walk: Walk = { mutation: operation.operation === 'mutation', today };
  const seenFragments = new Set<string>();
  const visit = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): GraphQLError | null => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (SKIPPED_FIELDS.has(selection.name.value)) continue;
        const fieldDef =
          parent && (isObjectType(parent) || isInterfaceType(parent)) ? (parent as GraphQLObjectType).getFields()[selection.name.value] : undefined;
        if (!fieldDef) continue;
        for (const { name, value } of argumentValues(selection, vars)) {
          const argDef: GraphQLArgument | undefined = fieldDef.args.find((a) => a.name === name);
          if (!argDef) continue;
          const error = checkValue(value, argDef.type, name, name, walk);
          if (error) return error;
        }
        const named = getNamedType(fieldDef.type);
        if (selection.selectionSet && isCompositeType(named)) {
          const error = visit(selection.selectionSet, named);
          if (error) return error;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        const error = visit(selection.selectionSet, type ?? undefined);
        if (error) return error;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seenFragments.has(fragment.name.value)) continue;
        seenFragments.add(fragment.name.value);
        const error = visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
        if (error) return error;
      }
    }
    return null;
  };
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const found = visit(operation.selectionSet, root ?? undefined);
  if (found) return found;
  // Then text in variables is checked for unacceptable characters wherever it is (also where no argument reads it).
  // Federation's `representations` are the gateway's own (keys from other subgraphs), and can be thousands long.
  const stack: Array<{ value: unknown; path: string }> = Object.entries(vars)
    .filter(([k]) => k !== 'representations')
    .map(([k, v]) => ({ value: v, path: `$${k}` }));
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (characterProblem(value)) return checkText(value, path, 'String', path);
    } else if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: `${path}.${k}` });
  }
  return null;
}
