// JSON.parse with a budget. An answer within the size cap can still be hostile: 50 MiB of
// `{},{},…` makes JSON.parse build 17 million objects (1.5 GB, seconds of blocking work). The
// values are counted first, in one pass that allocates nothing (about 1 ns a byte), and an answer
// with more than any real index sends is refused before it is built.

/** Twenty values per link at the link cap: PyPI's pages use about twelve per file. */
export const MAX_JSON_VALUES = 4_000_000;

export type JsonResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly kind: 'malformed' | 'too-large'; readonly message: string };

/** Whether `text` holds at most `limit` values, counting the commas and brackets outside strings. */
function valuesWithin(text: string, limit: number): boolean {
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if ((code === 0x2c || code === 0x5b || code === 0x7b) && ++values > limit) {
      return false;
    }
  }
  return true;
}

export function parseJson(text: string, maxValues = MAX_JSON_VALUES): JsonResult {
  // Each character adds at most one value, so a text shorter than the limit needs no count (every
  // page of a real index: the count was 3% of a cold `fix`).
  if (text.length >= maxValues && !valuesWithin(text, maxValues)) return { ok: false, kind: 'too-large', message: `it holds more than ${maxValues.toLocaleString('en-US')} JSON values, more than any real index sends; not read` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, kind: 'malformed', message: (error as Error).message };
  }
}
