/**
 * How deep a request's JSON may nest. No request of this API nests more than a few levels (the deepest, an
 * input object's list of objects in `variables`, is 5), while walking a deeper value — JSON.stringify of the
 * variables for a kept answer's key, the input rules, the cost — overflows the stack: 5,000 nested arrays
 * in a 10 KB body were an INTERNAL_SERVER_ERROR. Such a body is refused before it is parsed.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text (a string, or its UTF-8 bytes: no byte of a multi-byte character is ASCII) nests arrays and
 * objects deeper than `max`; brackets inside strings do not count. One pass, no parse.
 */
export function jsonNestsDeeperThan(text: string | Uint8Array, max = MAX_JSON_DEPTH): boolean {
  const code = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = code(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
  }
  return false;
}

const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = ['"', '\\', '{', '}', '[', ']'].map((c) => c.charCodeAt(0));

/** The error body-parser's way (a `type`, status 400, exposed), answered as BAD_REQUEST by the routes' error handler. */
export function tooDeepJson(): Error & { type: string; status: number; expose: boolean } {
  return Object.assign(new Error(`the JSON nests deeper than ${MAX_JSON_DEPTH} levels`), { type: 'entity.too.deep', status: 400, expose: true });
}
