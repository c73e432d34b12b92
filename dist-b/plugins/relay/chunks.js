/**
 * `items` in consecutive slices of at most `size`: the queue's multi-row statements stay under
 * SQLite's bound-parameter limit.
 */
export function* chunksOf(items, size) {
    for (let i = 0; i < items.length; i += size)
        yield items.slice(i, i + size);
}
//# sourceMappingURL=chunks.js.map