import * as v from 'valibot';

/**
 * For text that reaches a database column as it is (emails, names): no control characters.
 * PostgreSQL text cannot hold NUL at all, and none belongs in an address or a name.
 */
export const withoutControlCharacters = v.regex(/^\P{Cc}*$/u, 'must not contain control characters');
