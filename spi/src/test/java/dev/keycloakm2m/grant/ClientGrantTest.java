package dev.keycloakm2m.grant;

import dev.keycloakm2m.store.ClientGrant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientGrantTest {

    @Test
    @DisplayName("scopes read back in any order are shown in the API's order, scopes the API lacks last")
    void scopeOrder() {
        ClientGrant stored = new ClientGrant("g", "svc", "urn:a", List.of("gone", "write", "read"), false);
        ClientGrant ordered = stored.inScopeOrderOf(new LinkedHashSet<>(List.of("read", "write", "delete")));
        assertThat(ordered.scope()).containsExactly("read", "write", "gone");
        assertThat(ordered.id()).isEqualTo("g");
        ClientGrant already = new ClientGrant("g", "svc", "urn:a", List.of("read"), true);
        assertThat(already.inScopeOrderOf(new LinkedHashSet<>(List.of("read")))).isSameAs(already);
    }
}
