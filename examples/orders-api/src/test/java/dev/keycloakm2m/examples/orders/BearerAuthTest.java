package dev.keycloakm2m.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BearerAuthTest {

    @Test
    @DisplayName("no Authorization header, or another scheme, is no bearer credential at all")
    void none() {
        assertThat(BearerAuth.credentials(null)).isInstanceOf(BearerAuth.None.class);
        assertThat(BearerAuth.credentials(List.of())).isInstanceOf(BearerAuth.None.class);
        assertThat(BearerAuth.credentials(List.of("Basic b3JkZXJzOnNlY3JldA=="))).isInstanceOf(BearerAuth.None.class);
    }

    @Test
    @DisplayName("the scheme is case-insensitive and the token is taken as sent")
    void present() {
        assertThat(BearerAuth.credentials(List.of("bearer abc.def-_~+/.ghi=="))).isEqualTo(new BearerAuth.Present("abc.def-_~+/.ghi=="));
        assertThat(BearerAuth.credentials(List.of("Bearer  abc"))).isEqualTo(new BearerAuth.Present("abc"));
    }

    @Test
    @DisplayName("an empty token or one with characters outside b64token is malformed; two headers are an invalid request")
    void malformed() {
        assertThat(BearerAuth.credentials(List.of("Bearer"))).isEqualTo(new BearerAuth.Malformed(false));
        assertThat(BearerAuth.credentials(List.of("Bearer a b"))).isEqualTo(new BearerAuth.Malformed(false));
        assertThat(BearerAuth.credentials(List.of("Bearer a\"b"))).isEqualTo(new BearerAuth.Malformed(false));
        assertThat(BearerAuth.credentials(List.of("Bearer a", "Bearer b"))).isEqualTo(new BearerAuth.Malformed(true));
    }

    @Test
    @DisplayName("insufficient_scope names the scope the route needs")
    void insufficientScope() {
        assertThat(BearerAuth.insufficientScopeChallenge("write:orders"))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"write:orders\"");
    }
}
