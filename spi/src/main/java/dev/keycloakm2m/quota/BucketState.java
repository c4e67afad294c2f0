package dev.keycloakm2m.quota;

/** A configured bucket as a client sees it right now. */
public record BucketState(Bucket bucket, long quota, long used, long resetAt, long now) {

    public long remaining() {
        return Math.max(0, quota - used);
    }

    /** Seconds until the window resets (at least 1). */
    public long resetIn() {
        return Math.max(1, resetAt - now);
    }

    public boolean exhausted() {
        return used >= quota;
    }
}
