package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.OrganizationQuota;
import dev.keycloakm2m.store.OrganizationUsage;
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

    // ---- organizations

    static final Organizations.Organization ACME = new Organizations.Organization("org-acme", "acme", "Acme Inc.", true);
    static final Organizations.Organization GLOBEX = new Organizations.Organization("org-globex", "globex", "Globex", true);
    static final Organizations.Organization OFF = new Organizations.Organization("org-off", "off", "Off", false);

    /** Grants for svc: deny (orders), allow with acme associated (billing), require with any organization (stock). */
    static RealmIndex orgIndex(M2mSettings settings) {
        ResourceServer billing = new ResourceServer("api-3", "Billing", "urn:billing", List.of(new ApiScope("pay", "")), 600, "RS256",
                TokenDialect.ACCESS_TOKEN, ClientPolicy.REQUIRE_CLIENT_GRANT);
        ResourceServer stock = new ResourceServer("api-4", "Stock", "urn:stock", List.of(new ApiScope("count", "")), 600, "RS256",
                TokenDialect.ACCESS_TOKEN, ClientPolicy.REQUIRE_CLIENT_GRANT);
        return RealmIndex.of(List.of(API, billing, stock), List.of(
                        new ClientGrant("g-1", "svc", ORDERS, List.of("read"), false),
                        new ClientGrant("g-3", "svc", "urn:billing", List.of("pay"), false, OrganizationUsage.ALLOW, false),
                        new ClientGrant("g-4", "svc", "urn:stock", List.of("count"), false, OrganizationUsage.REQUIRE, true)),
                List.of(new ClientQuota("q-1", "svc", QUOTA)), settings, Map.of("g-3", Set.of(ACME.id())),
                List.of(new OrganizationQuota("oq-1", ACME.id(), new TokenQuota(2, null, true))));
    }

    static TokenDecision orgRequest(String audience, String organization, Organizations.Organization found, RealmIndex index) {
        return TokenDecision.decide(new TokenDecision.Request("svc", List.of(audience), List.of(), null, false, null, false, true,
                alg -> true, organization, named -> {
                    if (!named.equals(organization)) throw new AssertionError("looked up " + named);
                    return found;
                }, null), index);
    }

    @Test
    @DisplayName("organizations: usage and association decide; the token is issued for the organization with its quota")
    void organizations() {
        RealmIndex rfc = orgIndex(M2mSettings.DEFAULTS);
        TokenDecision plain = orgRequest(ORDERS, null, null, rfc);
        assertThat(plain.kind()).isEqualTo(TokenDecision.Kind.API);
        assertThat(plain.organization()).isNull();
        assertThat(plain.organizationQuota()).isNull();

        TokenDecision acme = orgRequest("urn:billing", "acme", ACME, rfc);
        assertThat(acme.kind()).isEqualTo(TokenDecision.Kind.API);
        assertThat(acme.organization()).isEqualTo(ACME);
        assertThat(acme.organizationQuota()).isEqualTo(new TokenQuota(2, null, true));
        assertThat(acme.organizationNameInToken()).isFalse();
        assertThat(orgRequest("urn:billing", null, null, rfc).kind()).as("allow: optional").isEqualTo(TokenDecision.Kind.API);

        TokenDecision any = orgRequest("urn:stock", "globex", GLOBEX, rfc);
        assertThat(any.kind()).as("allow_any_organization").isEqualTo(TokenDecision.Kind.API);
        assertThat(any.organizationQuota()).as("no quota of its own, no realm default").isNull();
        TokenDecision withDefault = orgRequest("urn:stock", "globex", GLOBEX,
                orgIndex(new M2mSettings(null, ErrorStyle.RFC, null, new TokenQuota(7, 70, false), true)));
        assertThat(withDefault.organizationQuota()).isEqualTo(new TokenQuota(7, 70, false));
        assertThat(withDefault.organizationNameInToken()).isTrue();
    }

    @Test
    @DisplayName("organization refusals: deny with one, require without, unknown or disabled, not associated; in both styles")
    void organizationRefusals() {
        RealmIndex rfc = orgIndex(M2mSettings.DEFAULTS);
        RealmIndex auth0 = orgIndex(new M2mSettings(null, ErrorStyle.AUTH0, null));
        record Case(String audience, String org, Organizations.Organization found, String reason, String rfcError, int rfcStatus,
                    String auth0Error, int auth0Status, String auth0Description) {
        }
        for (Case c : List.of(
                new Case(ORDERS, "acme", ACME, "organization_not_allowed", "access_denied", 403, "access_denied", 403,
                        "Client is not authorized to access \"" + ORDERS + "\" on behalf of an organization. The client grant's"
                                + " organization_usage is \"deny\"."),
                new Case("urn:stock", null, null, "organization_required", "invalid_request", 400, "invalid_request", 400,
                        "Missing required parameter: organization"),
                new Case("urn:billing", "nope", null, "organization_unknown", "invalid_request", 400, "access_denied", 403,
                        "Organization not found: nope"),
                new Case("urn:billing", "off", OFF, "organization_disabled", "invalid_request", 400, "access_denied", 403,
                        "Organization not found: off"),
                new Case("urn:billing", "globex", GLOBEX, "organization_not_associated", "access_denied", 403, "access_denied", 403,
                        "Client is not authorized to access \"urn:billing\" on behalf of organization \"globex\". You need to"
                                + " associate the organization with the \"client-grant\"."))) {
            TokenDecision r = orgRequest(c.audience(), c.org(), c.found(), rfc);
            assertThat(r.kind()).as(c.reason()).isEqualTo(TokenDecision.Kind.REFUSE);
            assertThat(r.refusal().reason()).as(c.reason()).isEqualTo(c.reason());
            assertThat(r.refusal().error()).as(c.reason()).isEqualTo(c.rfcError());
            assertThat(r.refusal().status()).as(c.reason()).isEqualTo(c.rfcStatus());
            TokenDecision a = orgRequest(c.audience(), c.org(), c.found(), auth0);
            assertThat(a.refusal().error()).as(c.reason()).isEqualTo(c.auth0Error());
            assertThat(a.refusal().status()).as(c.reason()).isEqualTo(c.auth0Status());
            assertThat(a.refusal().description()).as(c.reason()).isEqualTo(c.auth0Description());
        }
        assertThat(orgRequest("urn:stock", "off", OFF, rfc).refusal().reason()).as("allow_any still needs an enabled organization")
                .isEqualTo("organization_disabled");
        TokenRefusal tooLong = TokenRefusal.tooLong("organization", TokenRefusal.INVALID_REQUEST);
        TokenDecision malformed = TokenDecision.decide(new TokenDecision.Request("svc", List.of("urn:billing"), List.of(), null, false,
                null, false, true, alg -> true, null, named -> null, tooLong), rfc);
        assertThat(malformed.refusal()).isEqualTo(tooLong);
        TokenDecision none = TokenDecision.decide(new TokenDecision.Request("svc", List.of(), List.of(), null, false,
                null, false, true, alg -> true, "acme", named -> {
                    throw new AssertionError("no lookup for a request naming no API");
                }, null), rfc);
        assertThat(none.kind()).as("no API named: Keycloak's token, organization ignored").isEqualTo(TokenDecision.Kind.KEYCLOAK);
    }
}
