/**
 * Returns `text` flattened. V8 keeps a concatenation as a tree of its parts until something
 * needs its characters; `crypto.randomUUID()` returns such a tree of about twenty nodes (some
 * 600 bytes for 36 characters). Strings kept for a while or used as map keys (message ids)
 * must be flat. Reading a character flattens in place; `Number()` and `| 0` do not.
 */
export function flat(text) {
    text.charCodeAt(0);
    return text;
}
//# sourceMappingURL=flat-string.js.map