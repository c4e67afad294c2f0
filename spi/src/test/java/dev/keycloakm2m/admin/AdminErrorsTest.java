package dev.keycloakm2m.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdminErrorsTest {

    @Test
    @DisplayName("messages quoting input show control characters and unpaired surrogates escaped, keep real text as is")
    void printable() {
        assertThat(AdminErrors.printable("a\u0000b\nc")).isEqualTo("a\\u0000b\\u000ac");
        assertThat(AdminErrors.printable("x\ud800y\udc00")).isEqualTo("x\\ud800y\\udc00");
        assertThat(AdminErrors.printable("caf\u00e9 \ud83d\udce6 \u6ce8")).isEqualTo("caf\u00e9 \ud83d\udce6 \u6ce8");
        assertThat(AdminErrors.printable("\ud83d")).isEqualTo("\\ud83d");
        assertThat(AdminErrors.printable(null)).isNull();
    }
}
