export function relayOf(app) {
    return app.hasDecorator('relay') ? app.relay ?? {} : {};
}
/** A count from whatever shape the relay answers with (a number, or `{ count }`, or rows). */
export function countOf(result) {
    if (typeof result === 'number')
        return result;
    if (typeof result === 'bigint')
        return Number(result);
    if (Array.isArray(result))
        return result.length;
    if (result !== null && typeof result === 'object') {
        const value = result.count ?? result.deleted;
        if (typeof value === 'number')
            return value;
    }
    return 0;
}
//# sourceMappingURL=relay-hooks.js.map