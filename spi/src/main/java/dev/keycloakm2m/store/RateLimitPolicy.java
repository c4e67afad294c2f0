package dev.keycloakm2m.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * A rate-limit policy on the token endpoint (Auth0's custom rate limit policies): at most {@code limit} requests per
 * second, in bursts of at most {@link #effectiveBurst()}, for one client ({@code clientId}) or, with {@code clientId}
 * {@code null}, for every client of the realm without a policy of its own (Auth0's {@code default} selector, a
 * bucket per client). {@code burst} {@code null}: the same as {@code limit}. {@code limit} 0 blocks the client.
 */
public record RateLimitPolicy(String id, String clientId, Action action, int limit, Integer burst) {

    public static final String DEFAULT_SELECTOR = "default";
    public static final String CLIENT_SELECTOR_PREFIX = "client_id:";

    /** What happens to a request over the limit. */
    public enum Action {
        /** Refused with 429. */
        BLOCK("block"),
        /** Served; a warning is logged (at most once a minute per client and node) and the event notes it. */
        LOG("log");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Action> fromWire(String value) {
            return Arrays.stream(values()).filter(a -> a.wire.equals(value)).findFirst();
        }
    }

    public boolean isDefault() {
        return clientId == null;
    }

    /** Auth0's {@code consumer_selector}: {@code client_id:<clientId>} or {@code default}. */
    public String selector() {
        return clientId == null ? DEFAULT_SELECTOR : CLIENT_SELECTOR_PREFIX + clientId;
    }

    /** The bucket size: {@code burst}, else {@code limit}. */
    public int effectiveBurst() {
        return burst != null ? burst : limit;
    }

    public RateLimitPolicy withId(String newId) {
        return new RateLimitPolicy(newId, clientId, action, limit, burst);
    }
}
