/**
 * Values in the text format of `COPY … FROM STDIN`: tab between columns, newline after each row,
 * `\N` for NULL, and backslash, tab, newline and carriage return escaped inside a value.
 * https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2
 */

export const COPY_NULL = '\\N';

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPED = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  // Postgres text cannot hold U+0000: it becomes U+FFFD (the replacement character), as in the JSON path.
  '\0': '\uFFFD',
};

/** One column's value: a string as the driver would send it, or null. */
export function copyField(value: string | null): string {
  if (value === null) return COPY_NULL;
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (character) => ESCAPES[character] ?? character) : value;
}
