package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiTargetTest {

    @Test
    @DisplayName("no audience, no resource, no default: not an API request")
    void none() {
        assertThat(ApiTarget.resolve(null, null, null).kind()).isEqualTo(ApiTarget.Kind.NONE);
        assertThat(ApiTarget.resolve(List.of(""), List.of(""), null).kind()).isEqualTo(ApiTarget.Kind.NONE);
    }

    @Test
    @DisplayName("default audience applies only when the request names no API")
    void defaultAudience() {
        ApiTarget t = ApiTarget.resolve(null, null, "https://api/default");
        assertThat(t.identifier()).isEqualTo("https://api/default");
        assertThat(t.source()).isEqualTo(ApiTarget.Source.DEFAULT_AUDIENCE);
        assertThat(ApiTarget.resolve(List.of("x"), null, "https://api/default").identifier()).isEqualTo("x");
    }

    @Test
    @DisplayName("audience wins over nothing; resource alone must be an absolute URI without fragment")
    void resource() {
        assertThat(ApiTarget.resolve(null, List.of("https://a/b"), null).source()).isEqualTo(ApiTarget.Source.RESOURCE);
        assertThat(ApiTarget.resolve(null, List.of("urn:billing"), null).kind()).isEqualTo(ApiTarget.Kind.API);
        assertThat(ApiTarget.resolve(null, List.of("orders-api"), null).error()).isEqualTo(ApiTarget.Problem.INVALID_RESOURCE);
        assertThat(ApiTarget.resolve(null, List.of("https://a/b#frag"), null).error()).isEqualTo(ApiTarget.Problem.INVALID_RESOURCE);
        assertThat(ApiTarget.resolve(null, List.of("https://a/b#"), null).error()).isEqualTo(ApiTarget.Problem.INVALID_RESOURCE);
        assertThat(ApiTarget.resolve(null, List.of("http://[bad"), null).error()).isEqualTo(ApiTarget.Problem.INVALID_RESOURCE);
    }

    @Test
    @DisplayName("audience is any string: no URI rule")
    void audienceAnyString() {
        assertThat(ApiTarget.resolve(List.of("orders-api"), null, null).identifier()).isEqualTo("orders-api");
    }

    @Test
    @DisplayName("several values of either parameter: one API per token")
    void multiple() {
        assertThat(ApiTarget.resolve(List.of("a", "b"), null, null).error()).isEqualTo(ApiTarget.Problem.MULTIPLE_TARGETS);
        assertThat(ApiTarget.resolve(null, List.of("https://a", "https://a"), null).error()).isEqualTo(ApiTarget.Problem.MULTIPLE_TARGETS);
    }

    @Test
    @DisplayName("audience and resource: same value is fine, different values conflict")
    void both() {
        assertThat(ApiTarget.resolve(List.of("https://a"), List.of("https://a"), null).identifier()).isEqualTo("https://a");
        assertThat(ApiTarget.resolve(List.of("https://a"), List.of("https://b"), null).error()).isEqualTo(ApiTarget.Problem.CONFLICTING_TARGETS);
    }
}
