package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenDialect;
import dev.keycloakm2m.store.TokenQuota;

@DisplayName("TokenDecision: the token path's one decision, from request and index")
class TokenDecisionTest {

    static final String ORDERS = "https://api.example.com/orders";
    static final ResourceServer API = new ResourceServer("api-1", "Orders", ORDERS,
            List.of(new ApiScope("read", ""), new ApiScope("write", "")), 600, "RS256", TokenDialect.ACCESS_TOKEN,
            ClientPolicy.REQUIRE_CLIENT_GRANT);
    static final ResourceServer LOCKED = new ResourceServer("api-2", "Locked", "urn:locked", List.of(), 600, "RS256",
            TokenDialect.ACCESS_TOKEN, ClientPolicy.DENY_ALL);
    static final TokenQuota QUOTA = new TokenQuota(5, null, true);

    static RealmIndex index(M2mSettings settings) {
        return RealmIndex.of(List.of(API, LOCKED), List.of(new ClientGrant("g-1", "svc", ORDERS, List.of("read"), false),
                new ClientGrant("g-2", "svc", "urn:locked", List.of(), true)), List.of(new ClientQuota("q-1", "svc", QUOTA)), settings);
    }

    static TokenDecision.Request request(String clientId, List<String> audience, String scope, boolean signingKey) {
        return new TokenDecision.Request(clientId, audience, List.of(), scope, false, null, false, true, alg -> signingKey);
    }

    @Test
    @DisplayName("an API named while this Keycloak version's token hooks are missing: refused 503, never Keycloak's token")
    void hooksMissing() {
        TokenDecision d = TokenDecision.decide(new TokenDecision.Request("svc", List.of(ORDERS), List.of(), null, false, null,
                false, false, alg -> true), index(M2mSettings.DEFAULTS));
        assertThat(d.kind()).isEqualTo(TokenDecision.Kind.REFUSE);
        assertThat(d.refusal().status()).isEqualTo(503);
        assertThat(d.refusal().reason()).isEqualTo("token_hooks_unavailable");
    }

    @Test
    @DisplayName("a scope that held control characters: refused after the grant check, with the refusal the grant type found")
    void scopeMalformed() {
        TokenRefusal malformed = TokenRefusal.controlCharacters("scope", TokenRefusal.INVALID_SCOPE);
        TokenDecision d = TokenDecision.decide(new TokenDecision.Request("svc", List.of(ORDERS), List.of(), "read", false,
                malformed, false, true, alg -> true), index(M2mSettings.DEFAULTS));
        assertThat(d.kind()).isEqualTo(TokenDecision.Kind.REFUSE);
        assertThat(d.refusal().error()).isEqualTo("invalid_scope");
        assertThat(d.audience()).isEqualTo(ORDERS);
        TokenDecision noGrant = TokenDecision.decide(new TokenDecision.Request("other", List.of(ORDERS), List.of(), "read", false,
                malformed, false, true, alg -> true), index(M2mSettings.DEFAULTS));
        assertThat(noGrant.refusal().reason()).isEqualTo("no_client_grant");
    }

    @Test
    @DisplayName("no API named and no default audience: Keycloak's own token, the client's quota still applies")
    void keycloak() {
        TokenDecision d = TokenDecision.decide(request("svc", List.of(), null, true), index(M2mSettings.DEFAULTS));
        assertThat(d.kind()).isEqualTo(TokenDecision.Kind.KEYCLOAK);
        assertThat(d.quota()).isEqualTo(QUOTA);
    }

    @Test
    @DisplayName("a granted API: the API and the granted scopes; a default audience counts as naming it")
    void api() {
        TokenDecision d = TokenDecision.decide(request("svc", List.of(ORDERS), null, true), index(M2mSettings.DEFAULTS));
        assertThat(d.kind()).isEqualTo(TokenDecision.Kind.API);
        assertThat(d.api()).isEqualTo(API);
        assertThat(d.scopes()).containsExactly("read");
        TokenDecision byDefault = TokenDecision.decide(request("svc", List.of(), null, true),
                index(new M2mSettings(ORDERS, ErrorStyle.RFC, null)));
        assertThat(byDefault.kind()).isEqualTo(TokenDecision.Kind.API);
        assertThat(byDefault.audience()).isEqualTo(ORDERS);
    }

    @Test
    @DisplayName("refusals in order: unknown API, deny_all, no grant, ungranted scope, missing signing key; in the realm's error style")
    void refusals() {
        RealmIndex rfc = index(M2mSettings.DEFAULTS);
        assertThat(TokenDecision.decide(request("svc", List.of("urn:nope"), null, true), rfc).refusal().reason()).isEqualTo("unknown_api");
        assertThat(TokenDecision.decide(request("svc", List.of("urn:locked"), null, true), rfc).refusal().reason())
                .isEqualTo("api_denies_all_clients");
        assertThat(TokenDecision.decide(request("other", List.of(ORDERS), null, true), rfc).refusal().reason()).isEqualTo("no_client_grant");
        TokenDecision scope = TokenDecision.decide(request("svc", List.of(ORDERS), "write", true), rfc);
        assertThat(scope.refusal().error()).isEqualTo("invalid_scope");
        TokenDecision noKey = TokenDecision.decide(request("svc", List.of(ORDERS), null, false), rfc);
        assertThat(noKey.refusal().reason()).isEqualTo("no_signing_key");
        TokenDecision auth0 = TokenDecision.decide(request("svc", List.of("urn:nope"), null, true),
                index(new M2mSettings(null, ErrorStyle.AUTH0, null)));
        assertThat(auth0.refusal().status()).isEqualTo(403);
        assertThat(auth0.errorStyle()).isEqualTo(ErrorStyle.AUTH0);
    }
}
