package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScopeDecisionTest {

    private static final Set<String> GRANTED = new LinkedHashSet<>(List.of("read:orders", "write:orders"));

    @Test
    @DisplayName("no scope requested: every granted scope")
    void omitted() {
        assertThat(ScopeDecision.decide(null, GRANTED).issued()).containsExactly("read:orders", "write:orders");
        assertThat(ScopeDecision.decide("", GRANTED).issued()).containsExactly("read:orders", "write:orders");
        assertThat(ScopeDecision.decide("   ", GRANTED).issued()).containsExactly("read:orders", "write:orders");
    }

    @Test
    @DisplayName("a granted subset: exactly that subset, in the API's order, duplicates ignored")
    void subset() {
        assertThat(ScopeDecision.decide("write:orders", GRANTED).issued()).containsExactly("write:orders");
        assertThat(ScopeDecision.decide("write:orders read:orders write:orders", GRANTED).issued())
                .containsExactly("read:orders", "write:orders");
    }

    @Test
    @DisplayName("anything not granted refuses the request and names each missing scope once")
    void notGranted() {
        ScopeDecision d = ScopeDecision.decide("read:orders delete:orders openid delete:orders", GRANTED);
        assertThat(d.refused()).isTrue();
        assertThat(d.notGranted()).containsExactly("delete:orders", "openid");
    }

    @Test
    @DisplayName("scopes are case-sensitive")
    void caseSensitive() {
        assertThat(ScopeDecision.decide("READ:orders", GRANTED).notGranted()).containsExactly("READ:orders");
    }

    @Test
    @DisplayName("a grant without scopes issues a token without scopes")
    void empty() {
        assertThat(ScopeDecision.decide(null, Set.of()).issued()).isEmpty();
        assertThat(ScopeDecision.decide("read:orders", Set.of()).notGranted()).containsExactly("read:orders");
    }
}
