package dev.keycloakm2m.kc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenHooksTest {

    @Test
    void supportedRangeIs26_4To26_7() {
        assertThat(TokenHooks.supportedVersion("26.4.0")).isTrue();
        assertThat(TokenHooks.supportedVersion("26.4.7")).isTrue();
        assertThat(TokenHooks.supportedVersion("26.5.6")).isTrue();
        assertThat(TokenHooks.supportedVersion("26.7.3")).isTrue();
        assertThat(TokenHooks.supportedVersion("26.6.0-SNAPSHOT")).isTrue();
        assertThat(TokenHooks.supportedVersion("26.3.5")).isFalse();
        assertThat(TokenHooks.supportedVersion("26.8.0")).isFalse();
        assertThat(TokenHooks.supportedVersion("27.0.0")).isFalse();
        assertThat(TokenHooks.supportedVersion("999.0.0-SNAPSHOT")).isFalse();
        assertThat(TokenHooks.supportedVersion(null)).isFalse();
        assertThat(TokenHooks.supportedVersion("unknown")).isFalse();
    }
}
