package dev.keycloakm2m.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.FakeRealm;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

class RateLimitPolicyValidatorTest {

    final FakeRealm realm = new FakeRealm();

    @BeforeEach
    void setUp() {
        realm.client("svc", false, true).client("other", false, true);
    }

    static RateLimitPolicyDraft draft(String selector, String action, String limit, String burst) {
        return new RateLimitPolicyDraft(null, selector, action, limit, burst, null, null);
    }

    Problem refused(RateLimitPolicyDraft d) {
        try {
            RateLimitPolicyValidator.validate(d, null, realm);
        } catch (ValidationException e) {
            assertThat(e.primary().kind()).isEqualTo(Problem.Kind.INVALID);
            return e.primary();
        }
        throw new AssertionError("accepted: " + d);
    }

    @Test
    @DisplayName("a client's policy and the default; action block unless given; burst follows the limit unless given")
    void valid() {
        RateLimitPolicy p = RateLimitPolicyValidator.validate(draft("client_id:svc", null, "5", null), null, realm);
        assertThat(p).isEqualTo(new RateLimitPolicy(null, "svc", RateLimitPolicy.Action.BLOCK, 5, null));
        assertThat(p.effectiveBurst()).isEqualTo(5);
        RateLimitPolicy d = RateLimitPolicyValidator.validate(draft("default", "log", "0", null), null, realm);
        assertThat(d).isEqualTo(new RateLimitPolicy(null, null, RateLimitPolicy.Action.LOG, 0, null));
        assertThat(d.effectiveBurst()).isZero();
        assertThat(RateLimitPolicyValidator.validate(draft("client_id:svc", "block", "1", "3"), null, realm).burst()).isEqualTo(3);
    }

    @Test
    @DisplayName("bad input is refused with 400 naming the field")
    void invalid() {
        assertThat(refused(draft("client_id:svc", null, "-1", null)).field()).isEqualTo("limit");
        assertThat(refused(draft("client_id:svc", null, "1.5", null)).field()).isEqualTo("limit");
        assertThat(refused(draft("client_id:svc", null, "99999999999", null)).field()).isEqualTo("limit");
        assertThat(refused(draft("client_id:svc", null, null, null)).field()).isEqualTo("limit");
        assertThat(refused(draft("client_id:svc", "allow", "1", null)).field()).isEqualTo("action");
        assertThat(refused(draft("client_id:ghost", null, "1", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(draft("client_id:", null, "1", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(draft("third_party_clients", null, "1", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(draft(null, null, "1", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(draft("client_id:svc", null, "5", "0")).field()).isEqualTo("burst");
        assertThat(refused(draft("client_id:svc", null, "0", "3")).field()).isEqualTo("burst");
        assertThat(refused(draft("client_id:svc", null, "5", "-2")).field()).isEqualTo("burst");
        assertThat(refused(draft("client_id:svc\u0000", null, "5", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(new RateLimitPolicyDraft(null, "default", null, "1", null, "management_api", null)).field()).isEqualTo("resource");
        assertThat(refused(new RateLimitPolicyDraft(null, "default", null, "1", null, null, "user")).field()).isEqualTo("consumer");
    }

    @Test
    @DisplayName("a second policy for one client, or a second default, is refused; an update of the same policy is not")
    void oneperConsumer() {
        RateLimitPolicy stored = new RateLimitPolicy("p1", "svc", RateLimitPolicy.Action.BLOCK, 5, null);
        realm.rateLimitPolicy(stored).rateLimitPolicy(new RateLimitPolicy("p2", null, RateLimitPolicy.Action.BLOCK, 1, null));
        assertThat(refused(draft("client_id:svc", null, "7", null)).field()).isEqualTo("consumer_selector");
        assertThat(refused(draft("default", null, "7", null)).field()).isEqualTo("consumer_selector");
        RateLimitPolicy updated = RateLimitPolicyValidator.validate(
                new RateLimitPolicyDraft("p1", "client_id:svc", "log", "7", null, null, null), stored, realm);
        assertThat(updated).isEqualTo(new RateLimitPolicy("p1", "svc", RateLimitPolicy.Action.LOG, 7, null));
        assertThat(RateLimitPolicyValidator.validate(draft("client_id:other", null, "7", null), null, realm).clientId()).isEqualTo("other");
    }
}
