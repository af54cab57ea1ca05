/**
 * GraphQL's own errors for variables that do not fit their types ("Variable "$input" got invalid value
 * ["…"] at "input.notes"; String cannot represent a non string value: ["…"]"), made into this API's
 * BAD_USER_INPUT: the variable path, the reason in English and Japanese, and the value received only
 * when it is safe to repeat. graphql-js quotes the whole value, which for a mistyped free-text field is
 * the free text itself (a note may name a person): its reason is rebuilt here from the parts that name
 * types and fields only, never from the value.
 */
import { type ASTNode, BREAK, Kind, parse, visit } from 'graphql';
import { isQuotable } from './input-rules';

export interface VariableProblem {
  /** The variable and the path inside it, e.g. `$input.notes` or `$n`. */
  argument: string;
  reason: string;
  reasonJa: string;
  /** The value received: only a number, boolean or null, or a short string of an id, code or date field. */
  value?: unknown;
}

const INVALID_START = /^Variable "\$([^"]+)" got invalid value /;
/** What follows the value graphql-js quotes: the path inside the variable, if any, and its reason. */
const INVALID_REST = /^(?: at "([$\w.[\]]+)")?; ([\s\S]*)$/;

/**
 * Where the value graphql-js quoted (with its `inspect`) ends, from `start`: a string is JSON (quotes inside it
 * escaped), a list or object ends at its matching bracket (strings inside skipped), anything else at a space or
 * `;`. Reading the value whole, never up to the first `; `, keeps a value holding `; ` or ` at "…"` from being
 * read as the path or the reason.
 */
function endOfQuotedValue(text: string, start: number): number {
  const endOfString = (from: number) => {
    let i = from + 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    return i + 1;
  };
  if (text[start] === '"') return endOfString(start);
  if (text[start] === '[' || text[start] === '{') {
    let depth = 0;
    for (let i = start; i < text.length;) {
      const c = text[i];
      if (c === '"') {
        i = endOfString(i);
        continue;
      }
      if (c === '[' || c === '{') depth += 1;
      else if (c === ']' || c === '}') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    return text.length;
  }
  const primitive = /^[^\s;]*/.exec(text.slice(start))![0];
  return start + primitive.length;
}
const MISSING = /^Variable "\$([^"]+)" of (?:required|non-null) type "([^"]+)" (?:was not provided|must not be null)\.$/;

/** The type graphql-js names in its reason: `LocalDate must be …`, `Int cannot represent …`, `… in "VisitFormat" enum`. */
const typeNamed = (detail: string) =>
  /^(?:(\w+) must be|Expected type "(\w+)"|(\w+) cannot represent)|in "(\w+)" enum/.exec(detail)?.slice(1).find(Boolean) ?? '';

/** The names graphql-js quotes in a suggestion (`"a", "b", or "c"`) as （候補: 「a」「b」「c」）; '' when none. */
export function candidatesJa(suggestion: string | undefined): string {
  const names = [...(suggestion ?? '').matchAll(/"([^"]+)"/g)].map((m) => `「${m[1]}」`);
  return names.length ? `（候補: ${names.join('')}）` : '';
}

/** The reason, from what graphql-js says of types and fields (never the value it quotes). */
function reasonOf(detail: string): { reason: string; reasonJa: string } {
  let m = /^Expected type "([^"]+)" to be an object/.exec(detail);
  if (m) return { reason: `must be an object of type ${m[1]}`, reasonJa: `${m[1]} 型のオブジェクトを指定してください` };
  m = /^(?:Expected type "(\w+)"|(\w+) cannot represent)/.exec(detail);
  if (m) {
    const type = m[1] ?? m[2];
    return { reason: `must be a value of type ${type}`, reasonJa: `${type} 型の値を指定してください` };
  }
  // graphql-js writes the value here as it came, quotes and all: the last ` does not exist in "…" enum.` is its own.
  m = /^Value "[\s\S]*" does not exist in "(\w+)" enum\.(?: Did you mean (the enum value "\w+"(?: or "\w+")*|the enum values? [^?]*)\?)?$/.exec(detail);
  if (m) {
    // The suggestions name the enum's own values (from the schema), never the value received.
    const suggestion = m[2] ? `; did you mean ${m[2]}?` : '';
    return {
      reason: `is not a value of the enum ${m[1]}${suggestion}`,
      reasonJa: `列挙型 ${m[1]} の値ではありません${candidatesJa(m[2])}`,
    };
  }
  m = /^(LocalDate|DateTime) must be ([^,]*(?:, e\.g\. [^,]+)?)/.exec(detail);
  if (m) {
    return m[1] === 'LocalDate'
      ? {
          reason: 'must be a calendar date written YYYY-MM-DD (e.g. 2025-04-01)',
          reasonJa: '実在する日付を YYYY-MM-DD 形式で指定してください（例: 2025-04-01）',
        }
      : { reason: `must be ${m[2]}`, reasonJa: 'タイムゾーン付きの日時（RFC 3339、例: 2026-12-01T09:30:00Z）を指定してください' };
  }
  m = /^Field "(\w+)" is not defined by type "(\w+)"/.exec(detail);
  if (m) return { reason: `has a field ${m[1]} that ${m[2]} does not define`, reasonJa: `${m[2]} にない項目「${m[1]}」があります` };
  m = /^Enum "(\w+)" cannot represent/.exec(detail);
  if (m) return { reason: `is not a value of the enum ${m[1]}`, reasonJa: `列挙型 ${m[1]} の値ではありません` };
  m = /^Field "(?:\w+\.)?(\w+)" of required type "([^"]+)" was not provided/.exec(detail);
  if (m) return { reason: `lacks the required field ${m[1]} (${m[2]})`, reasonJa: `必須の項目「${m[1]}」（${m[2]}）がありません` };
  return { reason: 'does not fit its type', reasonJa: '型に合わない値です' };
}

/**
 * The value graphql-js quoted, when it is safe to repeat: a number, boolean or null; a string where the API's
 * own input rules quote one (a date, an id or code: shared/input-rules.ts), or one that looks like an enum value.
 */
function quotable(quoted: string, name: string, detail: string): { value?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(quoted);
  } catch {
    return {}; // an object (graphql-js quotes objects in its own style) or anything else: not repeated
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { value };
  const enumValue = / enum\b/.test(detail) && /^[A-Za-z_]\w{0,50}$/.test(String(value));
  if (typeof value === 'string' && value.length <= 100 && (isQuotable(name, typeNamed(detail)) || enumValue)) return { value };
  return {};
}

/**
 * GraphQL's validation message for a literal of the wrong type in the document, without the literal
 * unless it is a number, boolean or null (`String cannot represent a non string value: ["…"]` would
 * repeat a note written into the document); undefined when the message is not one of those.
 */
export function withoutLiteral(message: string): string | undefined {
  const primitive = (literal: string) => /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(literal.trim());
  let m = /^(\w+ cannot represent [^:]*): ([\s\S]*)$/.exec(message);
  if (m) return primitive(m[2]) ? message : `${m[1]} (the value is not repeated)`;
  m = /^Expected value of type "([^"]+)", found ([\s\S]*?)(?:; ([\s\S]*))?$/.exec(message);
  if (m) return primitive(m[2]) || /^[A-Za-z_]\w*$/.test(m[2]) ? message : `Expected value of type "${m[1]}" (the value is not repeated)`;
  return undefined;
}

/** The problem a graphql-js variable coercion error describes, or undefined when the message is not one. */
export function describeVariableError(message: string): VariableProblem | undefined {
  const missing = MISSING.exec(message);
  if (missing) {
    const [, variable, type] = missing;
    return { argument: `$${variable}`, reason: `is required (${type})`, reasonJa: `必須です（${type}）` };
  }
  const start = INVALID_START.exec(message);
  if (!start) return undefined;
  const variable = start[1];
  const valueEnd = endOfQuotedValue(message, start[0].length);
  const quoted = message.slice(start[0].length, valueEnd);
  const rest = INVALID_REST.exec(message.slice(valueEnd));
  if (!rest) return undefined;
  const [, at, detail] = rest;
  const path = at ?? variable;
  const name = lastName(path) ?? variable;
  return { argument: `$${path}`, ...reasonOf(detail), ...quotable(quoted, name, detail) };
}

/** The name a path ends with, its list positions left out: `dates` of `input.dates[1]`. Read from the end, not searched. */
function lastName(path: string): string | undefined {
  let end = path.length;
  for (
    let open = path.lastIndexOf('[', end - 1);
    path[end - 1] === ']' && open !== -1 && /^\d+$/.test(path.slice(open + 1, end - 1));
    open = path.lastIndexOf('[', end - 1)
  )
    end = open;
  let start = end;
  while (start > 0 && /\w/.test(path[start - 1])) start -= 1;
  return start < end ? path.slice(start, end) : undefined;
}

/**
 * The argument path of a value written in the document (`filter.codes[0]`), found by its position: the
 * document is parsed again (only for an error) and walked, arguments, object fields and list items named.
 */
function argumentPathAt(node: ASTNode): string | undefined {
  const loc = node.loc;
  if (!loc) return undefined;
  const segments: string[] = [];
  let found: string | undefined;
  visit(parse(loc.source), {
    enter(n, key, parent, _path, ancestors) {
      const owner = ancestors[ancestors.length - 1];
      let segment = '';
      if (n.kind === Kind.ARGUMENT) segment = n.name.value;
      else if (n.kind === Kind.OBJECT_FIELD) segment = `.${n.name.value}`;
      else if (typeof key === 'number' && owner && !Array.isArray(owner) && (owner as ASTNode).kind === Kind.LIST) segment = `[${key}]`;
      segments.push(segment);
      if (n.kind === node.kind && n.loc?.start === loc.start) {
        // Only a value under an argument has a path a caller can find (not a variable's default, say).
        const underArgument = [...ancestors, parent].some((a) => a && !Array.isArray(a) && (a as ASTNode).kind === Kind.ARGUMENT);
        if (underArgument) found = segments.join('');
        return BREAK;
      }
      return undefined;
    },
    leave() {
      segments.pop();
    },
  });
  return found;
}

/** The part of a validation message that says what is wrong with a literal (graphql-js's ValuesOfCorrectTypeRule). */
function literalDetail(message: string): string | undefined {
  // Only the type is read from this one: what follows `found` is the literal itself (a string may be free
  // text), and `withoutLiteral` may have taken it out already.
  const scalar = /; ((?:LocalDate|DateTime) must be [\s\S]*)$/.exec(message);
  if (scalar) return scalar[1];
  const m = /^Expected value of type "([^"]+)"/.exec(message);
  if (m) return `Expected type "${m[1].replace(/[![\]]/g, '')}"`;
  if (/cannot represent|does not exist in "\w+" enum|^Field "[\w.]+" (?:is not defined by type|of required type)/.test(message)) return message;
  return undefined;
}

/** The Japanese reason of a validation message about a literal (one no argument holds: a variable's default), if it is one. */
export function literalReasonJa(message: string): string | undefined {
  const detail = literalDetail(message);
  return detail === undefined ? undefined : reasonOf(detail).reasonJa;
}

/**
 * GraphQL's validation error for a literal of the wrong type written in the document, as the same
 * problem given in a variable is described: the argument path, the reason in both languages, and the
 * value only when it is a number, boolean, null or enum name (never a string, which may be free text).
 */
export function describeLiteralError(message: string, node: ASTNode | undefined): VariableProblem | undefined {
  const detail = node && literalDetail(message);
  if (!node || detail === undefined) return undefined;
  const argument = argumentPathAt(node);
  if (!argument) return undefined;
  const value =
    node.kind === Kind.INT || node.kind === Kind.FLOAT
      ? Number(node.value)
      : node.kind === Kind.BOOLEAN
        ? node.value
        : node.kind === Kind.NULL
          ? null
          : node.kind === Kind.ENUM
            ? node.value
            : undefined;
  return { argument, ...reasonOf(detail), ...(value === undefined ? {} : { value }) };
}
