package dev.keycloakm2m.quota;

import dev.keycloakm2m.store.TokenQuota;

import java.util.ArrayList;
import java.util.List;

/** A client's counter row: tokens counted in the hour and day windows that start at the given epoch seconds. */
public record Counts(long hourWindow, long hourUsed, long dayWindow, long dayUsed) {

    public static final Counts NONE = new Counts(0, 0, 0, 0);

    /** Used count of {@code bucket} in the window containing {@code now} (0 when the row is from an older window). */
    public long used(Bucket bucket, long now) {
        return switch (bucket) {
            case PER_HOUR -> hourWindow == Bucket.PER_HOUR.windowStart(now) ? hourUsed : 0;
            case PER_DAY -> dayWindow == Bucket.PER_DAY.windowStart(now) ? dayUsed : 0;
        };
    }

    /** Whether no token can be counted at {@code now} under these limits ({@code Long.MAX_VALUE}: no limit). */
    public boolean exhausted(long now, long hourLimit, long dayLimit) {
        return used(Bucket.PER_HOUR, now) >= hourLimit || used(Bucket.PER_DAY, now) >= dayLimit;
    }

    /** The configured buckets of {@code quota} as seen at {@code now}. */
    public List<BucketState> states(TokenQuota quota, long now) {
        List<BucketState> out = new ArrayList<>();
        if (quota.perHour() != null) {
            out.add(new BucketState(Bucket.PER_HOUR, quota.perHour(), used(Bucket.PER_HOUR, now), Bucket.PER_HOUR.windowEnd(now), now));
        }
        if (quota.perDay() != null) {
            out.add(new BucketState(Bucket.PER_DAY, quota.perDay(), used(Bucket.PER_DAY, now), Bucket.PER_DAY.windowEnd(now), now));
        }
        return out;
    }
}
