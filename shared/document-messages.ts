/**
 * GraphQL's and Apollo Server's own messages about a request, for people, so that staff writing a query
 * in the explorer read what is wrong and where, not only that something is: Japanese for a document's
 * validation messages (graphql-js 16's rules: an unknown field, a missing argument, a variable never
 * declared…), for its syntax errors (with the line and column; never repeating the string literal they
 * may quote, `found String "…"`, which may be a note typed into the document), and for Apollo Server's
 * refusals of a request's shape (BAD_REQUEST: a GET of a mutation, `variables` that are not an object…).
 *
 * The validation messages' Japanese is built from the names the message gives — fields, types,
 * arguments, variables, fragments, directives, operations, all GraphQL names, never free text — and
 * graphql-js's own suggestions (names from the schema). A literal's value is never repeated: messages
 * about values come here already without it (shared/variable-errors.ts `withoutLiteral`).
 * tests/unit/document-messages.test.ts runs every rule graphql-js specifies and fails when one of its
 * messages has no Japanese here (after an upgrade of graphql, say).
 */
import { candidatesJa, literalReasonJa } from './variable-errors';

const q = (name: string) => `「${name}」`;

/** graphql-js's ` Did you mean "a", "b", or "c"?` as （候補: 「a」「b」「c」）; its inline-fragment hint as such. */
function suggestionJa(suggestion: string | undefined): string {
  if (suggestion?.startsWith('to use an inline fragment on')) {
    const types = [...suggestion.matchAll(/"([^"]+)"/g)].map((m) => `... on ${m[1]}`);
    return types.length ? `（${types.join('、')} のインラインフラグメントで選んでください）` : '';
  }
  return candidatesJa(suggestion);
}

/** `by operation "Op"` / `in operation "Op"` as 操作「Op」 when named. */
const inOperation = (operation: string | undefined) => (operation ? `操作${q(operation)}で` : '');

type Translations = Array<[RegExp, (...parts: string[]) => string]>;

/** The Japanese of the first pattern the message matches, from its groups. */
function translated(table: Translations, message: string): string | undefined {
  for (const [pattern, japanese] of table) {
    const m = pattern.exec(message);
    if (m) return japanese(...m.slice(1));
  }
  return undefined;
}

/** Each message's pattern and its Japanese. The suggestion, when the rule gives one, is the last group. */
const MESSAGES: Translations = [
  [
    /^Cannot query field "(\w+)" on type "(\w+)"\.(?: Did you mean (.*)\?)?$/,
    (field, type, s) => `${q(type)}型に項目${q(field)}はありません${suggestionJa(s)}`,
  ],
  [
    /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\.(?: Did you mean (.*)\?)?$/,
    (argument, type, field, s) => `項目${q(`${type}.${field}`)}に引数${q(argument)}はありません${suggestionJa(s)}`,
  ],
  [
    /^Unknown argument "(\w+)" on directive "(@\w+)"\.(?: Did you mean (.*)\?)?$/,
    (argument, directive, s) => `ディレクティブ${q(directive)}に引数${q(argument)}はありません${suggestionJa(s)}`,
  ],
  [
    /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\.$/,
    (field, argument, type) => `項目${q(field)}の引数${q(argument)}（${type} 型）は必須です`,
  ],
  [
    /^Directive "(@\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\.$/,
    (directive, argument, type) => `ディレクティブ${q(directive)}の引数${q(argument)}（${type} 型）は必須です`,
  ],
  [
    /^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\.$/,
    (field, type) => `項目${q(field)}（${type} 型）には下位の項目がありません（{ … } を外してください）`,
  ],
  [
    /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./,
    (field, type) => `項目${q(field)}（${type} 型）は下位の項目を選んでください（例: ${field} { … }）`,
  ],
  [
    /^Field "(\w+)" of type "([^"]+)" must have at least one field selected\.$/,
    (field, type) => `項目${q(field)}（${type} 型）は下位の項目を一つ以上選んでください`,
  ],
  [/^Unknown type "(\w+)"\.(?: Did you mean (.*)\?)?$/, (type, s) => `型${q(type)}はありません${suggestionJa(s)}`],
  [
    /^Variable "(\$\w+)" of type "([^"]+)" used in position expecting type "([^"]+)"\.$/,
    (variable, type, expected) => `変数${q(variable)}の型 ${type} は、ここで必要な型 ${expected} に合いません`,
  ],
  [
    /^Variable "(\$\w+)" is of type "([^"]+)" but must be non-nullable to be used for OneOf Input Object "(\w+)"\.$/,
    (variable, type, input) => `変数${q(variable)}（${type} 型）を OneOf 入力型${q(input)}に使うには、必須（!）の型にしてください`,
  ],
  [
    /^Variable "(\$\w+)" is not defined(?: by operation "(\w+)")?\.$/,
    (variable, operation) => `変数${q(variable)}が${inOperation(operation)}宣言されていません`,
  ],
  [/^Variable "(\$\w+)" is never used(?: in operation "(\w+)")?\.$/, (variable, operation) => `変数${q(variable)}は${inOperation(operation)}使われていません`],
  [/^Variable "(\$\w+)" cannot be non-input type "([^"]+)"\.$/, (variable, type) => `変数${q(variable)}に入力型でない型 ${type} は使えません`],
  [/^There can be only one variable named "(\$\w+)"\.$/, (variable) => `変数${q(variable)}が重複しています`],
  [/^There can be only one argument named "(\w+)"\.$/, (argument) => `引数${q(argument)}が重複しています`],
  [/^There can be only one input field named "(\w+)"\.$/, (field) => `入力項目${q(field)}が重複しています`],
  [/^There can be only one operation named "(\w+)"\.$/, (operation) => `操作名${q(operation)}が重複しています`],
  [/^There can be only one fragment named "(\w+)"\.$/, (fragment) => `フラグメント${q(fragment)}が重複しています`],
  [/^The directive "(@\w+)" can only be used once at this location\.$/, (directive) => `ディレクティブ${q(directive)}はこの位置に一度しか使えません`],
  [/^Unknown directive "(@\w+)"\.$/, (directive) => `ディレクティブ${q(directive)}はありません`],
  [/^Directive "(@\w+)" may not be used on (\w+)\.$/, (directive, location) => `ディレクティブ${q(directive)}は ${location} には使えません`],
  [/^Unknown fragment "(\w+)"\.$/, (fragment) => `フラグメント${q(fragment)}は定義されていません`],
  [/^Fragment "(\w+)" is never used\.$/, (fragment) => `フラグメント${q(fragment)}は使われていません`],
  [/^Cannot spread fragment "(\w+)" within itself/, (fragment) => `フラグメント${q(fragment)}が自分自身を展開しています（循環しています）`],
  [
    /^Fragment (?:"(\w+)" )?cannot be spread here as objects of type "(\w+)" can never be of type "(\w+)"\.$/,
    (fragment, parent, type) => `${fragment ? `フラグメント${q(fragment)}` : 'フラグメント'}（${type} 型）は ${parent} 型の位置では展開できません`,
  ],
  [
    /^Fragment (?:"(\w+)" )?cannot condition on non composite type "([^"]+)"\.$/,
    (fragment, type) =>
      `${fragment ? `フラグメント${q(fragment)}` : 'フラグメント'}の型条件に ${type} 型は使えません（オブジェクト・インターフェース・ユニオン型のみ）`,
  ],
  [/^The "?(\w+)"? definition is not executable\.$/, (name) => `${q(name)}の定義は実行できません（クエリには操作とフラグメントだけを書いてください）`],
  [/^This anonymous operation must be the only defined operation\.$/, () => '名前のない操作は、ほかの操作と一緒には書けません（操作に名前を付けてください）'],
  [/^Fields "(\w+)" conflict because /, (field) => `項目${q(field)}が同じ名前で異なる内容を指しています（別名を付けて区別してください）`],
  [/^OneOf Input Object "(\w+)" must specify exactly one key\.$/, (input) => `OneOf 入力型${q(input)}は項目をちょうど一つ指定してください`],
  [/^Field "(\w+)\.(\w+)" must be non-null\.$/, (input, field) => `${q(`${input}.${field}`)}に null は指定できません`],
  [
    /^(?:Anonymous )?Subscription (?:"\w+" )?must (?:select only one top level field|not select an introspection top level field)\.$/,
    () => '購読（subscription）は最上位の項目を一つだけ選んでください',
  ],
  [/^Maximum introspection depth exceeded$/, () => 'スキーマ情報（イントロスペクション）の問い合わせが深すぎます'],
];

/**
 * The Japanese for a graphql-js validation message, undefined when it is not one known here. A value of
 * the wrong type that no argument holds (a variable's default) is described by its type alone.
 */
export function validationMessageJa(message: string): string | undefined {
  const known = translated(MESSAGES, message);
  if (known !== undefined) return known;
  const literal = literalReasonJa(message);
  return literal === undefined ? undefined : `値が不正です: ${literal}`;
}

/** A syntax error's message without the string it may quote (graphql-js ends `… found String "<text>".` with it). */
export function withoutStringToken(message: string): string {
  return message.replace(/ (String|BlockString) "[\s\S]*"\.$/, ' $1 (the value is not repeated).');
}

/** A token as graphql-js describes it (`Name "x"`, `"{"`, `<EOF>`, `String …`), in Japanese; a string's text never. */
function tokenJa(description: string): string {
  if (description === '<EOF>') return 'クエリの終わり';
  const [kind, value] = [/^\w+/.exec(description)?.[0], /^\w+ "(.*)"$/.exec(description)?.[1]];
  if (kind === 'Name') return value === undefined ? '名前' : `名前${q(value)}`;
  if (kind === 'Int' || kind === 'Float') return value === undefined ? '数値' : `数値${q(value)}`;
  if (kind === 'String' || kind === 'BlockString') return '文字列';
  const punctuator = /^"(.+)"$/.exec(description)?.[1];
  return punctuator === undefined ? description : q(punctuator);
}

/** A character the lexer cannot read: a full-width space or symbol typed with a Japanese input method, most often. */
function unexpectedCharacterJa(character: string): string {
  if (character === '\u3000') return '全角スペースがあります（半角スペースにしてください）';
  // Full-width ASCII (ｑｕｅｒｙ, ｛, ＄…) is U+FF01–U+FF5E: its half-width form is 0xFEE0 below.
  const code = character.codePointAt(0) ?? 0;
  if (code >= 0xff01 && code <= 0xff5e) return `全角文字${q(character)}があります（半角の${q(String.fromCodePoint(code - 0xfee0))}にしてください）`;
  return `使えない文字${q(character)}があります（日本語などの文字は "…" で囲んだ文字列の中にだけ書けます）`;
}

const SYNTAX: Translations = [
  [/^Syntax Error: Expected (.+?), found (.+)\.$/, (expected, found) => `${tokenJa(expected)}が必要なところに${tokenJa(found)}があります`],
  [/^Syntax Error: Unexpected single quote character/, () => '文字列は二重引用符（"）で囲んでください'],
  [/^Syntax Error: Unterminated string\.$/, () => '文字列が閉じられていません（" が足りません）'],
  [/^Syntax Error: Invalid number/, () => '数値の書き方が正しくありません'],
  [/^Syntax Error: Invalid (?:character escape|Unicode escape) sequence/, () => '文字列のエスケープ（\\）の書き方が正しくありません'],
  [/^Syntax Error: Invalid character within String/, () => '文字列に使えない文字（制御文字）があります'],
  [
    /^Syntax Error: Unexpected character: (?:U\+([0-9A-F]+)|"(.)"|'(.)')\.$/,
    (code, ascii, quote) => unexpectedCharacterJa(code ? String.fromCodePoint(parseInt(code, 16)) : (ascii ?? quote)),
  ],
  [/^Syntax Error: Unexpected variable "(\$\w+)" in constant value\.$/, (variable) => `既定値には変数${q(variable)}を書けません`],
  [/^Syntax Error: (?:Source|Document) contains more th[ae]n \d+/, () => 'クエリが長すぎます'],
  // After the more particular `Unexpected …` messages above.
  [/^Syntax Error: Unexpected (.+)\.$/, (found) => `${tokenJa(found)}はここには書けません`],
];

/** The Japanese for a graphql-js syntax error (its message already without a string), undefined when it is not one known here. */
export function syntaxMessageJa(message: string): string | undefined {
  return translated(SYNTAX, message);
}

/** Apollo Server's refusals of a request's shape (its BadRequestError messages, Apollo Server 5), in Japanese. */
const REQUEST: Translations = [
  [/^Apollo Server supports only GET\/POST requests\.$/, () => 'GET か POST で送ってください'],
  [/^GET requests only support query operations, not (\w+) operations$/, (type) => `GET で送れるのは query だけです（${type} は POST で送ってください）`],
  [/^GET requests may not have a content-type header other than application\/json\.$/, () => 'GET には application/json 以外の content-type を付けられません'],
  [
    /^This operation has been blocked as a potential Cross-Site Request Forgery/,
    () => 'CSRF 対策のため受け付けません（content-type: application/json を付けるか、apollo-require-preflight ヘッダーを付けてください）',
  ],
  [/^POST body missing, invalid Content-Type, or JSON object has no keys\.$/, () => '本文がないか、content-type が application/json ではありません'],
  [/^GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension\.$/, () => 'query（クエリ本文）がありません'],
  [/^GraphQL queries must be strings\.$/, () => 'query は文字列で送ってください'],
  [/^No operations found in request\.$/, () => 'リクエストに操作がありません'],
  [/^Operation batching disabled\.$/, () => '複数の操作をまとめて送ることはできません。1回に1つずつ送ってください'],
  [
    /^`(\w+)` in a POST body should be provided as an object, not a recursively JSON-encoded string\.$/,
    (name) => `${name} は JSON を文字列にしたものではなく、オブジェクトのまま送ってください`,
  ],
  [
    /^`(\w+)` in a POST body must be an? (object|string) if provided\.$/,
    (name, kind) => `${name} は${kind === 'object' ? 'オブジェクト' : '文字列'}で送ってください`,
  ],
  [/^The (\w+) search parameter contains invalid JSON\.$/, (name) => `URL の ${name} を JSON として読めません`],
  [/^The (\w+) search parameter should contain a JSON-encoded object\.$/, (name) => `URL の ${name} は JSON のオブジェクトにしてください`],
  [/^The '(\w+)' search parameter may only be specified once\.$/, (name) => `URL の ${name} は1回だけ指定してください`],
  [
    /^An 'accept' header was provided for this request which does not accept/,
    () => 'accept ヘッダーに application/json か application/graphql-response+json を含めてください',
  ],
  [/incremental delivery/, () => '@defer と @stream には対応していません'],
];

/** The Japanese for Apollo Server's refusal of a request's shape (BAD_REQUEST), undefined when it is not one known here. */
export function requestMessageJa(message: string): string | undefined {
  return translated(REQUEST, message);
}
