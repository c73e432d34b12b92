/**
 * A token bucket per key: `burst` tokens, refilled at `perSecond`. Full buckets are forgotten by
 * `sweep`, so memory follows the number of recently active senders.
 */
export function createTokenBuckets(options) {
    const { burst, perSecond, now } = options;
    const buckets = new Map();
    function refill(bucket, at) {
        bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
        bucket.at = at;
    }
    return {
        /** Takes one token; false when the key is over its rate. */
        take(key) {
            const at = now();
            let bucket = buckets.get(key);
            if (bucket === undefined) {
                bucket = { tokens: burst, at };
                buckets.set(key, bucket);
            }
            else {
                refill(bucket, at);
            }
            if (bucket.tokens < 1)
                return false;
            bucket.tokens -= 1;
            return true;
        },
        sweep() {
            const at = now();
            for (const [key, bucket] of buckets) {
                refill(bucket, at);
                if (bucket.tokens >= burst)
                    buckets.delete(key);
            }
        },
        forget: (key) => { buckets.delete(key); }
    };
}
//# sourceMappingURL=token-bucket.js.map