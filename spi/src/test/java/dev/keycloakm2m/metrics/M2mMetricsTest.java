package dev.keycloakm2m.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.keycloakm2m.quota.Bucket;
import dev.keycloakm2m.quota.BucketState;

@DisplayName("M2mMetrics: reasons, usage gauges, metrics off")
class M2mMetricsTest {

    SimpleMeterRegistry registry;
    long now = 1_800_000_000L;

    @BeforeEach
    void register() {
        registry = new SimpleMeterRegistry();
        Metrics.addRegistry(registry);
        M2mMetrics.clock(() -> now);
    }

    @AfterEach
    void unregister() {
        Metrics.removeRegistry(registry);
        Metrics.globalRegistry.clear();
        M2mMetrics.clientLabels(true);
        M2mMetrics.reset();
    }

    static BucketState hour(long quota, long used, long resetAt) {
        return new BucketState(Bucket.PER_HOUR, quota, used, resetAt, resetAt - 100);
    }

    @Test
    @DisplayName("event reasons map to a bounded set of metric reasons")
    void reasons() {
        assertThat(M2mMetrics.reason("no_client_grant")).isEqualTo("not_authorized");
        assertThat(M2mMetrics.reason("api_denies_all_clients")).isEqualTo("not_authorized");
        assertThat(M2mMetrics.reason("scopes_not_granted")).isEqualTo("scope_not_granted");
        assertThat(M2mMetrics.reason("unknown_api")).isEqualTo("unknown_api");
        assertThat(M2mMetrics.reason("scope_control_characters")).isEqualTo("malformed_request");
        assertThat(M2mMetrics.reason("audience_too_long")).isEqualTo("malformed_request");
        assertThat(M2mMetrics.reason("organization_disabled")).isEqualTo("unknown_organization");
        assertThat(M2mMetrics.reason("token_not_shaped")).isEqualTo("hooks_unavailable");
        assertThat(M2mMetrics.reason("something new")).isEqualTo("other");
        assertThat(M2mMetrics.reason(null)).isEqualTo("other");
    }

    @Test
    @DisplayName("a client's usage is its last count over its limit, and 0 once the window is over")
    void usage() {
        M2mMetrics.quotaUsage("r", false, "svc", List.of(hour(4, 3, now + 100)));
        assertThat(registry.get(M2mMetrics.QUOTA_USAGE).tags("realm", "r", "client", "svc", "window", "per_hour").gauge().value())
                .isEqualTo(0.75);
        now += 100;
        assertThat(registry.get(M2mMetrics.QUOTA_USAGE).tags("client", "svc").gauge().value()).isEqualTo(0.0);
    }

    @Test
    @DisplayName("without client labels the gauge shows the highest share; a lower one of another client does not hide it")
    void withoutClientLabels() {
        M2mMetrics.clientLabels(false);
        M2mMetrics.quotaUsage("r", false, "b", List.of(hour(2, 2, now + 100)));
        M2mMetrics.quotaUsage("r", false, "a", List.of(hour(4, 1, now + 100)));
        assertThat(registry.get(M2mMetrics.QUOTA_USAGE).tags("realm", "r", "window", "per_hour").gauge().value()).isEqualTo(1.0);
        assertThat(registry.find(M2mMetrics.QUOTA_USAGE).tagKeys("client").gauge()).isNull();
        M2mMetrics.throttled("r", M2mMetrics.Throttle.QUOTA, "b");
        assertThat(registry.get(M2mMetrics.THROTTLED).tags("realm", "r", "kind", "quota").counter().count()).isEqualTo(1.0);
        assertThat(registry.find(M2mMetrics.THROTTLED).tagKeys("client").counter()).isNull();
    }

    @Test
    @DisplayName("with no registry behind Keycloak's (metrics off) nothing is registered")
    void off() {
        Metrics.removeRegistry(registry);
        M2mMetrics.tokenIssued("r", "https://api.example.com");
        M2mMetrics.refused("r", "unknown_api");
        M2mMetrics.quotaUsage("r", false, "svc", List.of(hour(4, 3, now + 100)));
        assertThat(Metrics.globalRegistry.getMeters()).isEmpty();
        assertThat(registry.getMeters()).isEmpty();
    }
}
