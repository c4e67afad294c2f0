package dev.keycloakm2m.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class ClaimedClientTest {

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String jwt(String payload) {
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        return e.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + e.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    @Test
    void formFirstThenBasicThenAssertion() {
        assertThat(ClaimedClient.of("svc", basic("other", "x"), null)).isEqualTo("svc");
        assertThat(ClaimedClient.of(null, basic("my%3Aclient", "s:e:c"), null)).isEqualTo("my:client");
        assertThat(ClaimedClient.of("", null, jwt("{\"sub\":\"jwt-client\",\"iss\":\"jwt-client\"}"))).isEqualTo("jwt-client");
        assertThat(ClaimedClient.of(null, "Bearer abc", null)).isNull();
        assertThat(ClaimedClient.of(null, "Basic !!!", "not-a-jwt")).isNull();
        assertThat(ClaimedClient.of(null, null, jwt("[1,2]"))).isNull();
        assertThat(ClaimedClient.of(null, null, jwt("{\"sub\":5}"))).isNull();
    }
}
