package dev.keycloakm2m.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.keycloakm2m.quota.BucketState;

/**
 * The extension's meters, in Keycloak's own Micrometer registry (the global registry Keycloak's
 * {@code --metrics-enabled=true} fills; served on the management interface at {@code /metrics}). With metrics off the
 * registry has no backing registry and nothing is recorded. Names follow Keycloak's ({@code keycloak_user_events_total}):
 * <ul>
 *   <li>{@value #TOKENS} {realm, api}: API tokens issued;</li>
 *   <li>{@value #REFUSALS} {realm, reason}: API token requests refused by the extension, by {@link #reason reason};</li>
 *   <li>{@value #THROTTLED} {realm, kind[, client]}: the 429s among them: {@code quota}, {@code organization_quota},
 *       {@code rate_limit};</li>
 *   <li>{@value #QUOTA_USAGE} {realm, client, window}: the share of a client's quota used in the current window, as
 *       last counted on this node (0 once the window is over);</li>
 *   <li>{@value #ORG_QUOTA_USAGE} {realm, organization, window}: the same for an organization's quota;</li>
 *   <li>{@value #QUOTA_COUNT} {realm}: time spent counting a token against the quota store.</li>
 * </ul>
 * Per-client labels exist only for clients with a quota or a rate-limit policy (only they are counted or throttled);
 * {@link #clientLabels(boolean) off}, the client label is dropped and the usage gauge shows the client nearest its quota.
 */
public final class M2mMetrics {

    public static final String TOKENS = "keycloak.m2m.tokens";
    public static final String REFUSALS = "keycloak.m2m.refusals";
    public static final String THROTTLED = "keycloak.m2m.throttled";
    public static final String QUOTA_USAGE = "keycloak.m2m.quota.usage";
    public static final String ORG_QUOTA_USAGE = "keycloak.m2m.organization.quota.usage";
    public static final String QUOTA_COUNT = "keycloak.m2m.quota.count";

    /** Kinds of 429 in {@value #THROTTLED}. */
    public enum Throttle {
        QUOTA("quota"), ORGANIZATION_QUOTA("organization_quota"), RATE_LIMIT("rate_limit");

        final String label;

        Throttle(String label) {
            this.label = label;
        }
    }

    private static final MeterRegistry REGISTRY = Metrics.globalRegistry;
    private static volatile boolean clientLabels = true;
    private static final Map<UsageKey, Usage> USAGE = new ConcurrentHashMap<>();
    private static volatile LongSupplier clock = () -> System.currentTimeMillis() / 1000;

    private M2mMetrics() {
    }

    /** Server option {@code metrics-client-labels} of the grant: {@code false} drops per-client labels. */
    public static void clientLabels(boolean on) {
        clientLabels = on;
    }

    /** The clock (epoch seconds) quota windows are read with: Keycloak's, which tests can move. */
    public static void clock(LongSupplier epochSeconds) {
        clock = epochSeconds;
    }

    /** Forgets the usage gauges' state (tests: a fresh registry). */
    static void reset() {
        USAGE.clear();
    }

    /** Whether Keycloak runs with metrics: without, every call here returns at once. */
    static boolean enabled() {
        return !Metrics.globalRegistry.getRegistries().isEmpty();
    }

    public static void tokenIssued(String realm, String api) {
        if (!enabled()) return;
        Counter.builder(TOKENS).description("Access tokens issued for an API (client_credentials with audience or resource)")
                .tags("realm", realm, "api", api).register(REGISTRY).increment();
    }

    /** A refused API token request; {@code eventReason} is the {@code reason} detail of its CLIENT_LOGIN_ERROR event. */
    public static void refused(String realm, String eventReason) {
        if (!enabled()) return;
        Counter.builder(REFUSALS).description("API token requests refused by keycloak-m2m, by reason")
                .tags("realm", realm, "reason", reason(eventReason)).register(REGISTRY).increment();
    }

    /** A 429 (also counted in {@value #REFUSALS}). */
    public static void throttled(String realm, Throttle kind, String clientId) {
        if (!enabled()) return;
        Tags tags = Tags.of("realm", realm, "kind", kind.label);
        if (clientLabels) tags = tags.and("client", clientId);
        Counter.builder(THROTTLED).description("Token requests answered with 429, by kind (quota, organization_quota, rate_limit)")
                .tags(tags).register(REGISTRY).increment();
    }

    /** Time spent counting one token against the quota store, successful or not. */
    public static void quotaCounted(String realm, long nanos) {
        if (!enabled()) return;
        Timer.builder(QUOTA_COUNT).description("Time spent counting a token against its token quota")
                .tags("realm", realm).register(REGISTRY).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** What the quota store answered for a client's (or, {@code organization}, an organization's) buckets. */
    public static void quotaUsage(String realm, boolean organization, String subject, List<BucketState> states) {
        if (states == null || !enabled()) return;
        for (BucketState s : states) {
            if (s.quota() <= 0 && s.used() <= 0) continue;
            UsageKey key = new UsageKey(realm, organization, clientLabels ? subject : null, s.bucket().wire());
            Usage usage = USAGE.computeIfAbsent(key, M2mMetrics::register);
            usage.update(s.used(), s.quota(), s.resetAt());
        }
    }

    /** Without client labels several clients share a gauge: it shows the highest ratio among them. */
    private static Usage register(UsageKey key) {
        Usage usage = new Usage();
        Tags tags = Tags.of("realm", key.realm(), "window", key.window());
        if (key.subject() != null) tags = tags.and(key.organization() ? "organization" : "client", key.subject());
        Gauge.builder(key.organization() ? ORG_QUOTA_USAGE : QUOTA_USAGE, usage, Usage::ratio)
                .description(key.organization() ? "Share of an organization's token quota used in the current window"
                        : "Share of a client's token quota used in the current window")
                .baseUnit("ratio").tags(tags).strongReference(true).register(REGISTRY);
        return usage;
    }

    /**
     * The metric's reason for an event reason: the few an operator alerts on by name, the rest grouped. Bounded: every
     * value is one of the labels below.
     */
    public static String reason(String eventReason) {
        if (eventReason == null) return "other";
        return switch (eventReason) {
            case "unknown_api", "quota_exceeded", "organization_quota_exceeded", "rate_limited", "quota_store_unavailable",
                    "no_signing_key", "organization_required", "organization_not_allowed", "organization_not_associated" -> eventReason;
            case "no_client_grant", "api_denies_all_clients" -> "not_authorized";
            case "scopes_not_granted" -> "scope_not_granted";
            case "organization_unknown", "organization_disabled" -> "unknown_organization";
            case "token_hooks_unavailable", "token_not_shaped" -> "hooks_unavailable";
            case "multiple_targets", "conflicting_targets", "invalid_resource" -> "invalid_target";
            default -> eventReason.endsWith("_too_long") || eventReason.endsWith("_control_characters")
                    || eventReason.endsWith("_altered") ? "malformed_request" : "other";
        };
    }

    private record UsageKey(String realm, boolean organization, String subject, String window) {
    }

    /**
     * One gauge's state. With client labels, one subject; without, the latest value of each subject is kept (by the
     * quota's limit and window end), and the gauge reads the highest share among those whose window is not over.
     */
    static final class Usage {
        private volatile long used;
        private volatile long limit;
        private volatile long resetAt;

        void update(long used, long limit, long resetAt) {
            // without client labels, another client's lower share in the same window must not hide a higher one
            if (!clientLabels && resetAt == this.resetAt && limit > 0 && this.limit > 0
                    && (double) used / limit < (double) this.used / this.limit) {
                return;
            }
            this.used = used;
            this.limit = limit;
            this.resetAt = resetAt;
        }

        double ratio() {
            if (clock.getAsLong() >= resetAt) return 0;
            long l = limit;
            return l <= 0 ? 1 : (double) used / l; // a quota of 0: all of it is used
        }
    }
}
