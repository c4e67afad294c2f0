package dev.keycloakm2m.quota;

/** One quota window: its name in headers and APIs, and its length. Windows are fixed and aligned to UTC. */
public enum Bucket {
    PER_HOUR("per_hour", 3600),
    PER_DAY("per_day", 86400);

    private final String wire;
    private final long seconds;

    Bucket(String wire, long seconds) {
        this.wire = wire;
        this.seconds = seconds;
    }

    public String wire() {
        return wire;
    }

    public long seconds() {
        return seconds;
    }

    /** Start (epoch second) of the window containing {@code epochSecond}: top of the UTC hour, 00:00 UTC. */
    public long windowStart(long epochSecond) {
        return epochSecond - Math.floorMod(epochSecond, seconds);
    }

    public long windowEnd(long epochSecond) {
        return windowStart(epochSecond) + seconds;
    }
}
