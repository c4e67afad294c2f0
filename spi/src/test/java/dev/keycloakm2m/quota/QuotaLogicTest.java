package dev.keycloakm2m.quota;

import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.TokenQuota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.FakeRealm;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

class QuotaLogicTest {

    static long at(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    @DisplayName("windows are fixed UTC hours and days")
    void windows() {
        long t = at("2026-11-28T10:59:58Z");
        assertThat(Bucket.PER_HOUR.windowStart(t)).isEqualTo(at("2026-11-28T10:00:00Z"));
        assertThat(Bucket.PER_HOUR.windowEnd(t)).isEqualTo(at("2026-11-28T11:00:00Z"));
        assertThat(Bucket.PER_DAY.windowStart(t)).isEqualTo(at("2026-11-28T00:00:00Z"));
        assertThat(Bucket.PER_DAY.windowEnd(t)).isEqualTo(at("2026-11-29T00:00:00Z"));
        assertThat(Bucket.PER_HOUR.windowStart(at("2026-11-28T11:00:00Z"))).isEqualTo(at("2026-11-28T11:00:00Z"));
    }

    @Test
    @DisplayName("counts of an older window read as zero")
    void staleWindow() {
        long now = at("2026-11-28T12:00:05Z");
        Counts c = new Counts(at("2026-11-28T11:00:00Z"), 7, at("2026-11-28T00:00:00Z"), 9);
        assertThat(c.used(Bucket.PER_HOUR, now)).isZero();
        assertThat(c.used(Bucket.PER_DAY, now)).isEqualTo(9);
        assertThat(c.states(new TokenQuota(10, null, true), now)).extracting(BucketState::bucket).containsExactly(Bucket.PER_HOUR);
    }

    @Test
    @DisplayName("a counter row is exhausted only when a limit is reached in the current window")
    void exhausted() {
        long now = at("2026-11-28T12:30:00Z");
        long hour = at("2026-11-28T12:00:00Z");
        long day = at("2026-11-28T00:00:00Z");
        assertThat(new Counts(hour, 0, day, 0).exhausted(now, 50, Long.MAX_VALUE)).as("fresh row").isFalse();
        assertThat(new Counts(hour, 49, day, 49).exhausted(now, 50, Long.MAX_VALUE)).isFalse();
        assertThat(new Counts(hour, 50, day, 50).exhausted(now, 50, Long.MAX_VALUE)).isTrue();
        assertThat(new Counts(hour, 3, day, 10).exhausted(now, 50, 10)).as("day limit").isTrue();
        assertThat(new Counts(at("2026-11-28T11:00:00Z"), 50, day, 50).exhausted(now, 50, Long.MAX_VALUE))
                .as("full row of the previous hour").isFalse();
        assertThat(new Counts(hour, 1_000_000, day, 1_000_000).exhausted(now, Long.MAX_VALUE, Long.MAX_VALUE))
                .as("not enforced").isFalse();
    }

    @Test
    @DisplayName("Auth0 header: exactly b=per_hour;q=10;r=7;t=3540,b=per_day;q=50;r=47;t=43200")
    void auth0Format() {
        long now = at("2026-11-28T12:01:00Z");
        Counts c = new Counts(at("2026-11-28T12:00:00Z"), 3, at("2026-11-28T00:00:00Z"), 3);
        Map<String, String> h = QuotaHeaders.of(c.states(new TokenQuota(10, 50, true), now), ErrorStyle.AUTH0, false);
        assertThat(h.get("Auth0-Client-Quota-Limit")).isEqualTo("b=per_hour;q=10;r=7;t=3540,b=per_day;q=50;r=47;t=43140");
        assertThat(h).containsEntry("X-RateLimit-Limit", "10").containsEntry("X-RateLimit-Remaining", "7")
                .containsEntry("X-RateLimit-Reset", String.valueOf(at("2026-11-28T13:00:00Z")))
                .doesNotContainKeys("Retry-After", "RateLimit", "RateLimit-Policy");
    }

    @Test
    @DisplayName("IETF fields: RateLimit-Policy with quota and window, RateLimit with remaining and reset")
    void ietfFormat() {
        long now = at("2026-11-28T12:01:00Z");
        Counts c = new Counts(at("2026-11-28T12:00:00Z"), 3, at("2026-11-28T00:00:00Z"), 3);
        Map<String, String> h = QuotaHeaders.of(c.states(new TokenQuota(10, 50, true), now), ErrorStyle.RFC, false);
        assertThat(h.get("RateLimit-Policy")).isEqualTo("\"per_hour\";q=10;w=3600, \"per_day\";q=50;w=86400");
        assertThat(h.get("RateLimit")).isEqualTo("\"per_hour\";r=7;t=3540, \"per_day\";r=47;t=43140");
        assertThat(h).doesNotContainKey("Auth0-Client-Quota-Limit");
    }

    @Test
    @DisplayName("429: the exhausted bucket that resets last decides X-RateLimit-* and Retry-After")
    void refusedHeaders() {
        long now = at("2026-11-28T22:59:50Z");
        Counts both = new Counts(at("2026-11-28T22:00:00Z"), 2, at("2026-11-28T00:00:00Z"), 5);
        Map<String, String> h = QuotaHeaders.of(both.states(new TokenQuota(2, 5, true), now), ErrorStyle.RFC, true);
        assertThat(h).containsEntry("X-RateLimit-Limit", "5").containsEntry("X-RateLimit-Remaining", "0")
                .containsEntry("X-RateLimit-Reset", String.valueOf(at("2026-11-29T00:00:00Z"))).containsEntry("Retry-After", "3610");
        Counts hourOnly = new Counts(at("2026-11-28T23:00:00Z"), 2, at("2026-11-28T00:00:00Z"), 2);
        h = QuotaHeaders.of(hourOnly.states(new TokenQuota(2, 5, true), at("2026-11-28T23:30:00Z")), ErrorStyle.RFC, true);
        assertThat(h).containsEntry("X-RateLimit-Limit", "2").containsEntry("Retry-After", "1800");
    }

    @Test
    @DisplayName("200: the tightest bucket (fewest left; on a tie the one that resets last)")
    void tightest() {
        long now = at("2026-11-28T12:00:00Z");
        Counts c = new Counts(at("2026-11-28T12:00:00Z"), 1, at("2026-11-28T00:00:00Z"), 1);
        assertThat(QuotaHeaders.of(c.states(new TokenQuota(10, 5, true), now), ErrorStyle.RFC, false)).containsEntry("X-RateLimit-Limit", "5");
        assertThat(QuotaHeaders.of(c.states(new TokenQuota(5, 5, true), now), ErrorStyle.RFC, false))
                .containsEntry("X-RateLimit-Reset", String.valueOf(at("2026-11-29T00:00:00Z")));
    }

    @Test
    @DisplayName("over the quota with enforce=false: remaining is 0, never negative")
    void overQuota() {
        long now = at("2026-11-28T12:00:00Z");
        Counts c = new Counts(at("2026-11-28T12:00:00Z"), 7, 0, 0);
        assertThat(c.states(new TokenQuota(5, null, false), now).get(0).remaining()).isZero();
    }

    @Test
    @DisplayName("validation: 1-2147483647, at least one limit, known client, one quota per client")
    void validation() {
        FakeRealm realm = new FakeRealm().client("svc", false, true);
        assertThat(TokenQuotaValidator.validate(new ClientQuotaDraft(null, "svc", "10", null, null), null, realm).quota())
                .isEqualTo(new TokenQuota(10, null, true));
        assertThat(TokenQuotaValidator.validate(new ClientQuotaDraft(null, "svc", null, "2147483647", "false"), null, realm).quota())
                .isEqualTo(new TokenQuota(null, Integer.MAX_VALUE, false));
        for (ClientQuotaDraft bad : List.of(new ClientQuotaDraft(null, "svc", "0", null, null),
                new ClientQuotaDraft(null, "svc", null, "2147483648", null), new ClientQuotaDraft(null, "svc", null, null, null),
                new ClientQuotaDraft(null, "svc", "1.5", null, null), new ClientQuotaDraft(null, "svc", "1", null, "yes"))) {
            try {
                TokenQuotaValidator.validate(bad, null, realm);
                throw new AssertionError("accepted " + bad);
            } catch (ValidationException e) {
                assertThat(e.primary().kind()).isEqualTo(Problem.Kind.INVALID);
            }
        }
        try {
            TokenQuotaValidator.validate(new ClientQuotaDraft(null, "ghost", "1", null, null), null, realm);
            throw new AssertionError("accepted");
        } catch (ValidationException e) {
            assertThat(e.primary().kind()).isEqualTo(Problem.Kind.NOT_FOUND);
            assertThat(e.primary().message()).isEqualTo("Client not found");
        }
        realm.quotas.put("svc", new ClientQuota("q1", "svc", new TokenQuota(1, null, true)));
        try {
            TokenQuotaValidator.validate(new ClientQuotaDraft(null, "svc", "2", null, null), null, realm);
            throw new AssertionError("accepted");
        } catch (ValidationException e) {
            assertThat(e.primary().kind()).isEqualTo(Problem.Kind.CONFLICT);
        }
    }
}
