package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakVersions;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 3, points 1-9: what an M2M client gets from the token endpoint when it names an API. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("client_credentials for an API")
class ApiTokenIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "urn:example:billing";
    static final String AUTHZ = "https://api.example.com/authz";
    static final String RFC_AUTHZ = "https://api.example.com/rfc-authz";
    static final String ED = "https://api.example.com/ed";
    static final String LOCKED = "https://api.example.com/locked";
    static final String NO_SCOPES = "https://api.example.com/no-scopes";
    static final String UNGRANTED = "https://api.example.com/ungranted";

    TestRealm realm;
    Client svc;
    Client reader;
    Client stranger;
    String svcSubject;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
        realm.addKeyProvider("ecdsa-generated", Map.of("ecdsaEllipticCurveKey", "P-256"));
        realm.addKeyProvider("rsa-generated", Map.of("algorithm", "RS512"));
        realm.addKeyProvider("rsa-generated", Map.of("algorithm", "PS256"));
        realm.addKeyProvider("eddsa-generated", Map.of("eddsaEllipticCurveKey", "Ed25519"));

        realm.createApi("Orders", ORDERS, scopes("read:orders", "Read orders", "write:orders", "Create orders",
                "delete:orders", "Delete orders"), Map.of("token_lifetime", "3600"));
        realm.createApi("Billing", BILLING, scopes("read:invoices", "Read invoices"),
                Map.of("signing_alg", "ES256", "token_dialect", "rfc9068_profile", "token_lifetime", "120"));
        realm.createApi("Authz", AUTHZ, scopes("a", "", "b", ""),
                Map.of("signing_alg", "PS256", "token_dialect", "access_token_authz"));
        realm.createApi("RFC authz", RFC_AUTHZ, scopes("x", ""),
                Map.of("signing_alg", "RS512", "token_dialect", "rfc9068_profile_authz"));
        realm.createApi("Ed", ED, scopes("e", ""), Map.of("signing_alg", "EdDSA"));
        realm.createApi("Locked", LOCKED, scopes("l", ""), Map.of("client_policy", "deny_all"));
        realm.createApi("No scopes", NO_SCOPES, Map.of(), null);
        realm.createApi("Ungranted", UNGRANTED, scopes("u", ""), null);

        svc = realm.createClient("svc");
        reader = realm.createClient("reader");
        stranger = realm.createClient("stranger");
        svcSubject = realm.serviceAccountUserId(svc);

        realm.createGrant("svc", ORDERS, List.of("read:orders", "write:orders"), false);
        realm.createGrant("svc", BILLING, List.of(), true);
        realm.createGrant("svc", AUTHZ, List.of("a", "b"), false);
        realm.createGrant("svc", RFC_AUTHZ, List.of("x"), false);
        realm.createGrant("svc", ED, List.of("e"), false);
        realm.createGrant("svc", LOCKED, List.of("l"), false);
        realm.createGrant("svc", NO_SCOPES, List.of(), false);
        realm.createGrant("reader", ORDERS, List.of("read:orders"), false);
        realm.putSettings(Map.of("error_style", "rfc"));
    }

    static Map<String, String> scopes(String... valueDescription) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < valueDescription.length; i += 2) m.put(valueDescription[i], valueDescription[i + 1]);
        return m;
    }

    JsonNode ok(HttpResult r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        return r.json();
    }

    Jwt token(HttpResult r) {
        return Jwt.verified(ok(r).get("access_token").asText(), realm.jwksUrl());
    }

    static void refused(HttpResult r, int status, String error, String description) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.header("Cache-Control")).hasValue("no-store");
        assertThat(r.json()).isEqualTo(Http.JSON.createObjectNode().put("error", error).put("error_description", description));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("1-2 which API a request names")
    class Target {

        @BeforeAll
        void rfc() {
            realm.putSettings(Map.of("error_style", "rfc"));
        }

        @Test
        @DisplayName("no audience and no resource (or empty ones): Keycloak's own token, not an API token")
        void noApi() {
            for (HttpResult r : List.of(realm.clientCredentials(svc), realm.clientCredentials(svc, "audience", "", "resource", ""))) {
                Jwt t = token(r);
                assertThat(t.claim("aud")).isEqualTo("account");
                assertThat(t.claimNames()).contains("realm_access", "preferred_username").doesNotContain("gty");
            }
        }

        @Test
        @DisplayName("audience= and resource= both name the API; the same value in both is accepted")
        void audienceOrResource() {
            assertThat(token(realm.clientCredentials(svc, "audience", ORDERS)).claim("aud")).isEqualTo(ORDERS);
            assertThat(token(realm.clientCredentials(svc, "resource", ORDERS)).claim("aud")).isEqualTo(ORDERS);
            assertThat(token(realm.clientCredentials(svc, "resource", BILLING)).claim("aud")).isEqualTo(BILLING);
            assertThat(token(realm.clientCredentials(svc, "audience", ORDERS, "resource", ORDERS)).claim("aud")).isEqualTo(ORDERS);
        }

        @Test
        @DisplayName("resource must be an absolute URI without fragment: else 400 invalid_target")
        void resourceSyntax() {
            refused(realm.clientCredentials(svc, "resource", "orders-api"), 400, "invalid_target",
                    "resource must be an absolute URI without a fragment (RFC 8707)");
            refused(realm.clientCredentials(svc, "resource", ORDERS + "#x"), 400, "invalid_target",
                    "resource must be an absolute URI without a fragment (RFC 8707)");
        }

        @Test
        @DisplayName("audience and resource naming different APIs: 400 invalid_request")
        void conflicting() {
            refused(realm.clientCredentials(svc, "audience", ORDERS, "resource", BILLING), 400, "invalid_request",
                    "audience and resource name different APIs");
        }

        @Test
        @DisplayName("more than one audience or resource value: 400 invalid_target, one API per token")
        void multiple() {
            String msg = "One API per token: send a single audience or resource value";
            refused(realm.clientCredentials(svc, "audience", ORDERS, "audience", BILLING), 400, "invalid_target", msg);
            refused(realm.clientCredentials(svc, "resource", ORDERS, "resource", ORDERS), 400, "invalid_target", msg);
        }

        @Test
        @DisplayName("identifiers are compared exactly: a trailing slash is another API")
        void exact() {
            refused(realm.clientCredentials(svc, "audience", ORDERS + "/"), 400, "invalid_target", "Unknown API: " + ORDERS + "/");
            refused(realm.clientCredentials(svc, "audience", ORDERS.toUpperCase()), 400, "invalid_target",
                    "Unknown API: " + ORDERS.toUpperCase());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("1 default audience")
    class DefaultAudience {

        @Test
        @DisplayName("a request without audience is treated as if the default audience was sent; explicit audiences still win")
        void applies() {
            realm.putSettings(Map.of("error_style", "rfc", "default_audience", ORDERS));
            try {
                Jwt t = token(realm.clientCredentials(svc));
                assertThat(t.claim("aud")).isEqualTo(ORDERS);
                assertThat(t.string("scope")).isEqualTo("read:orders write:orders");
                assertThat(token(realm.clientCredentials(svc, "audience", BILLING)).claim("aud")).isEqualTo(BILLING);
                refused(realm.clientCredentials(stranger), 400, "invalid_target",
                        "Client \"stranger\" is not authorized to access \"" + ORDERS + "\"");
            } finally {
                realm.putSettings(Map.of("error_style", "rfc"));
            }
            assertThat(token(realm.clientCredentials(svc)).claim("aud")).isEqualTo("account");
        }
    }

    abstract class Refusals {
        abstract String style();

        @BeforeAll
        void style(TestRealm realm) {
            realm.putSettings(Map.of("error_style", style()));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("3-5 refusals, error_style=rfc")
    class RfcRefusals extends Refusals {
        @Override
        String style() {
            return "rfc";
        }

        @Test
        @DisplayName("unknown API: 400 invalid_target")
        void unknownApi() {
            refused(realm.clientCredentials(svc, "audience", "https://nope"), 400, "invalid_target", "Unknown API: https://nope");
        }

        @Test
        @DisplayName("no grant, or the API denies all clients: 400 invalid_target naming client and API")
        void notAuthorized() {
            refused(realm.clientCredentials(stranger, "audience", ORDERS), 400, "invalid_target",
                    "Client \"stranger\" is not authorized to access \"" + ORDERS + "\"");
            refused(realm.clientCredentials(svc, "audience", UNGRANTED), 400, "invalid_target",
                    "Client \"svc\" is not authorized to access \"" + UNGRANTED + "\"");
            refused(realm.clientCredentials(svc, "audience", LOCKED), 400, "invalid_target",
                    "Client \"svc\" is not authorized to access \"" + LOCKED + "\"");
        }

        @Test
        @DisplayName("a scope not granted: 400 invalid_scope naming each missing scope once")
        void notGranted() {
            refused(realm.clientCredentials(reader, "audience", ORDERS, "scope", "read:orders write:orders delete:orders write:orders"),
                    400, "invalid_scope", "Client has not been granted scopes: write:orders delete:orders");
            refused(realm.clientCredentials(svc, "audience", ORDERS, "scope", "openid"), 400, "invalid_scope",
                    "Client has not been granted scopes: openid");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("3-5 refusals, error_style=auth0")
    class Auth0Refusals extends Refusals {
        @Override
        String style() {
            return "auth0";
        }

        @Test
        @DisplayName("unknown API: 403 access_denied, Service not found")
        void unknownApi() {
            refused(realm.clientCredentials(svc, "audience", "https://nope"), 403, "access_denied", "Service not found: https://nope");
        }

        @Test
        @DisplayName("no grant, or deny_all: 403 access_denied with Auth0's client-grant hint")
        void notAuthorized() {
            String hint = "\". You need to create a \"client-grant\" associated to this API.";
            refused(realm.clientCredentials(stranger, "audience", ORDERS), 403, "access_denied",
                    "Client is not authorized to access \"" + ORDERS + hint);
            refused(realm.clientCredentials(svc, "audience", LOCKED), 403, "access_denied",
                    "Client is not authorized to access \"" + LOCKED + hint);
        }

        @Test
        @DisplayName("a scope not granted: 403 access_denied")
        void notGranted() {
            refused(realm.clientCredentials(reader, "audience", ORDERS, "scope", "write:orders delete:orders"),
                    403, "access_denied", "Client has not been granted scopes: write:orders delete:orders");
        }

        @Test
        @DisplayName("request-shape errors keep their RFC codes in the auth0 style too")
        void shapeErrors() {
            refused(realm.clientCredentials(svc, "audience", ORDERS, "resource", BILLING), 400, "invalid_request",
                    "audience and resource name different APIs");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("5 scopes")
    class Scopes {

        @BeforeAll
        void rfc() {
            realm.putSettings(Map.of("error_style", "rfc"));
        }

        @Test
        @DisplayName("omitted or empty scope: every granted scope, in the API's order")
        void all() {
            assertThat(token(realm.clientCredentials(svc, "audience", ORDERS)).string("scope")).isEqualTo("read:orders write:orders");
            assertThat(ok(realm.clientCredentials(svc, "audience", ORDERS, "scope", "")).get("scope").asText())
                    .isEqualTo("read:orders write:orders");
        }

        @Test
        @DisplayName("a subset: exactly that subset (real downscoping), duplicates ignored")
        void subset() {
            HttpResult r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "write:orders write:orders");
            assertThat(ok(r).get("scope").asText()).isEqualTo("write:orders");
            assertThat(token(r).string("scope")).isEqualTo("write:orders");
        }

        @Test
        @DisplayName("allow_all_scopes: every scope the API defines")
        void allowAll() {
            assertThat(token(realm.clientCredentials(svc, "audience", BILLING)).string("scope")).isEqualTo("read:invoices");
        }
    }

    @Nested
    @DisplayName("6-7 the token and the response")
    class TokenShape {

        @Test
        @DisplayName("access_token dialect, RS256: verifiable with the realm JWKS, typ JWT, exactly our claims")
        void accessToken() {
            HttpResult r = realm.clientCredentials(svc, "audience", ORDERS);
            JsonNode body = ok(r);
            Jwt t = token(r);
            assertThat(t.alg()).isEqualTo("RS256");
            assertThat(t.typ()).isEqualTo("JWT");
            assertThat(t.claimNames()).containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "iat", "jti", "typ", "azp", "scope", "gty");
            assertThat(t.string("iss")).isEqualTo(realm.issuer());
            assertThat(t.string("sub")).isEqualTo(svcSubject);
            assertThat(t.payloadJson()).as("aud is a plain string").contains("\"aud\":\"" + ORDERS + "\"");
            assertThat(t.string("azp")).isEqualTo("svc");
            assertThat(t.string("gty")).isEqualTo("client-credentials");
            assertThat(t.string("scope")).isEqualTo("read:orders write:orders");
            assertThat(t.string("jti")).isNotBlank();
            assertThat(t.number("exp") - t.number("iat")).isEqualTo(3600);
            assertThat(t.number("iat")).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));

            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
            assertThat(body.get("scope").asText()).isEqualTo("read:orders write:orders");
            assertThat(body.has("refresh_token")).isFalse();
            assertThat(body.has("id_token")).isFalse();
        }

        @Test
        @DisplayName("rfc9068_profile, ES256: typ at+jwt, client_id, no gty, lifetime 120 s")
        void rfc9068() {
            HttpResult r = realm.clientCredentials(svc, "audience", BILLING);
            Jwt t = token(r);
            assertThat(t.alg()).isEqualTo("ES256");
            assertThat(t.typ()).isEqualTo("at+jwt");
            assertThat(t.claimNames()).containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "iat", "jti", "typ", "azp", "client_id", "scope");
            assertThat(t.string("client_id")).isEqualTo("svc");
            assertThat(t.number("exp") - t.number("iat")).isEqualTo(120);
            assertThat(ok(r).get("expires_in").asLong()).isEqualTo(120);
        }

        @Test
        @DisplayName("access_token_authz, PS256: permissions = issued scopes")
        void authz() {
            Jwt t = token(realm.clientCredentials(svc, "audience", AUTHZ, "scope", "b"));
            assertThat(t.alg()).isEqualTo("PS256");
            assertThat(t.typ()).isEqualTo("JWT");
            assertThat(t.claim("permissions")).isEqualTo(List.of("b"));
            assertThat(t.string("gty")).isEqualTo("client-credentials");
        }

        @Test
        @DisplayName("rfc9068_profile_authz, RS512: at+jwt, client_id and permissions")
        void rfcAuthz() {
            Jwt t = token(realm.clientCredentials(svc, "audience", RFC_AUTHZ));
            assertThat(t.alg()).isEqualTo("RS512");
            assertThat(t.typ()).isEqualTo("at+jwt");
            assertThat(t.claim("permissions")).isEqualTo(List.of("x"));
            assertThat(t.claimNames()).contains("client_id").doesNotContain("gty");
        }

        @Test
        @DisplayName("EdDSA: verifiable with the realm's Ed25519 key")
        void eddsa() {
            assertThat(token(realm.clientCredentials(svc, "audience", ED)).alg()).isEqualTo("EdDSA");
        }

        @Test
        @DisplayName("a grant without scopes: no scope claim and no scope in the response")
        void noScopes() {
            HttpResult r = realm.clientCredentials(svc, "audience", NO_SCOPES);
            assertThat(ok(r).has("scope")).isFalse();
            assertThat(token(r).claimNames()).doesNotContain("scope");
        }

        @Test
        @DisplayName("client mappers add custom claims but cannot change reserved ones; realm default scopes add nothing")
        void mappers() {
            Client custom = realm.createClient("with-mappers");
            realm.createGrant("with-mappers", ORDERS, List.of("read:orders"), false);
            addHardcodedClaim(custom, "tenant", "acme");
            addHardcodedClaim(custom, "scope", "admin:everything");
            addHardcodedClaim(custom, "aud", "https://evil");
            addHardcodedClaim(custom, "gty", "password");
            Jwt t = token(realm.clientCredentials(custom, "audience", ORDERS));
            assertThat(t.string("tenant")).isEqualTo("acme");
            assertThat(t.string("scope")).isEqualTo("read:orders");
            assertThat(t.claim("aud")).isEqualTo(ORDERS);
            assertThat(t.string("gty")).isEqualTo("client-credentials");
            assertThat(t.claimNames()).doesNotContain("realm_access", "resource_access", "preferred_username", "email_verified",
                    "acr", "allowed-origins", "clientHost", "clientAddress", "client_id", "sid");
        }

        @Test
        @DisplayName("a client that uses refresh tokens for client credentials still gets no refresh token for an API")
        void noRefreshToken() {
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("clientId", "refreshy");
            rep.put("secret", "refreshy-secret");
            rep.put("serviceAccountsEnabled", true);
            rep.put("publicClient", false);
            rep.put("attributes", Map.of("client_credentials.use_refresh_token", "true"));
            Client refreshy = realm.createClient(rep);
            realm.createGrant("refreshy", ORDERS, List.of("read:orders"), false);
            assertThat(ok(realm.clientCredentials(refreshy)).has("refresh_token")).as("vanilla path keeps Keycloak's behaviour").isTrue();
            JsonNode body = ok(realm.clientCredentials(refreshy, "audience", ORDERS));
            assertThat(body.has("refresh_token")).isFalse();
            assertThat(body.has("id_token")).isFalse();
        }

        void addHardcodedClaim(Client client, String claim, String value) {
            Map<String, Object> mapper = new LinkedHashMap<>();
            mapper.put("name", "hardcoded " + claim);
            mapper.put("protocol", "openid-connect");
            mapper.put("protocolMapper", "oidc-hardcoded-claim-mapper");
            mapper.put("config", Map.of("claim.name", claim, "claim.value", value, "jsonType.label", "String",
                    "access.token.claim", "true", "introspection.token.claim", "true"));
            HttpResult r = realm.post("/clients/" + client.id() + "/protocol-mappers/models", mapper);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    @Nested
    @DisplayName("8 introspection")
    class Introspection {

        @Test
        @DisplayName("Keycloak's introspection endpoint reports an API token active with the same aud and scope")
        void active() {
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("clientId", ORDERS);
            rep.put("secret", "orders-api-secret");
            rep.put("publicClient", false);
            rep.put("standardFlowEnabled", false);
            realm.createClient(rep);
            String token = ok(realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders")).get("access_token").asText();

            HttpResult r = Http.postForm(realm.introspectionUrl(), Map.of(), Http.pairs("token", token,
                    "client_id", ORDERS, "client_secret", "orders-api-secret"));
            assertThat(r.status()).isEqualTo(200);
            JsonNode json = r.json();
            assertThat(json.get("active").asBoolean()).isTrue();
            assertThat(json.get("aud").asText()).isEqualTo(ORDERS);
            assertThat(json.get("scope").asText()).isEqualTo("read:orders");
            assertThat(json.get("client_id").asText()).isEqualTo("svc");
            assertThat(json.has("realm_access")).isFalse();
        }

        @Test
        @DisplayName("a client that is not the token's audience is told active:false (Keycloak's audience rule, 26.6+;"
                + " before, Keycloak lets any authenticated client introspect)")
        void otherClient() {
            Client other = realm.createClient("other-resource-server");
            String token = ok(realm.clientCredentials(svc, "audience", ORDERS)).get("access_token").asText();
            HttpResult r = Http.postForm(realm.introspectionUrl(), Map.of(), Http.pairs("token", token,
                    "client_id", other.clientId(), "client_secret", other.secret()));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("active").asBoolean()).isEqualTo(!KeycloakVersions.introspectionChecksAudience());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("9 events")
    class Events {

        @BeforeAll
        void rfc() {
            realm.putSettings(Map.of("error_style", "rfc"));
        }

        @Test
        @DisplayName("success: CLIENT_LOGIN with the audience and the issued scope")
        void success() {
            Client evented = realm.createClient("evented");
            realm.createGrant("evented", ORDERS, List.of("read:orders", "write:orders"), false);
            ok(realm.clientCredentials(evented, "audience", ORDERS, "scope", "write:orders"));
            JsonNode e = realm.events("type=CLIENT_LOGIN&client=evented&max=1").get(0);
            assertThat(e.at("/details/audience").asText()).isEqualTo(ORDERS);
            assertThat(e.at("/details/scope").asText()).isEqualTo("write:orders");
            assertThat(e.at("/details/grant_type").asText()).isEqualTo("client_credentials");
        }

        @Test
        @DisplayName("every refusal: CLIENT_LOGIN_ERROR with the OAuth error and a reason")
        void refusals() {
            Client refused = realm.createClient("refused-events");
            realm.clientCredentials(refused, "audience", "https://nope");
            realm.clientCredentials(refused, "audience", ORDERS);
            realm.clientCredentials(refused, "audience", ORDERS, "audience", BILLING);
            JsonNode events = realm.events("type=CLIENT_LOGIN_ERROR&client=refused-events&max=10");
            assertThat(events).hasSize(3);
            assertThat(events.get(2).get("error").asText()).isEqualTo("invalid_target");
            assertThat(events.get(2).at("/details/reason").asText()).isEqualTo("unknown_api");
            assertThat(events.get(2).at("/details/audience").asText()).isEqualTo("https://nope");
            assertThat(events.get(1).at("/details/reason").asText()).isEqualTo("no_client_grant");
            assertThat(events.get(0).at("/details/reason").asText()).isEqualTo("multiple_targets");
        }
    }
}
