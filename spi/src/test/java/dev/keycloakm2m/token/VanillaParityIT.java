package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.KeycloakVersions;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 3, point 1: a request that names no API gets exactly what vanilla Keycloak gives, compared against a
 * second Keycloak of the same version without the jar, set up identically.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("requests without an API behave exactly like vanilla Keycloak")
class VanillaParityIT {

    KeycloakServer vanilla;
    TestRealm ours;
    TestRealm theirs;
    Map<String, Client> oursClients = new LinkedHashMap<>();
    Map<String, Client> theirClients = new LinkedHashMap<>();

    @BeforeAll
    void setUp(TestRealm realm) {
        Path target = Path.of(System.getProperty("m2m.test-output", "target"));
        vanilla = KeycloakServer.start(KeycloakServer.options().name("keycloak-vanilla").home(target.resolve("keycloak-vanilla")));
        ours = realm;
        theirs = TestRealm.create(vanilla, AdminClient.master(vanilla), realm.name());
        for (TestRealm r : List.of(ours, theirs)) {
            Map<String, Client> clients = r == ours ? oursClients : theirClients;
            clients.put("svc", r.createClient(clientRep("svc", true, false)));
            clients.put("no-sa", r.createClient(clientRep("no-sa", false, false)));
            clients.put("refreshing", r.createClient(clientRep("refreshing", true, true)));
            Map<String, Object> pub = new LinkedHashMap<>();
            pub.put("clientId", "public-app");
            pub.put("publicClient", true);
            r.createClient(pub);
        }
        // the jar's realm also has APIs and a grant: they must not leak into requests that name no API
        ours.createApi("Orders", "https://api.example.com/orders", Map.of("read:orders", ""), null);
        ours.createGrant("svc", "https://api.example.com/orders", List.of("read:orders"), false);
    }

    @AfterAll
    void tearDown() {
        if (vanilla != null) vanilla.close();
    }

    static Map<String, Object> clientRep(String clientId, boolean serviceAccounts, boolean refreshTokens) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("clientId", clientId);
        rep.put("secret", clientId + "-secret");
        rep.put("publicClient", false);
        rep.put("serviceAccountsEnabled", serviceAccounts);
        rep.put("standardFlowEnabled", false);
        if (refreshTokens) rep.put("attributes", Map.of("client_credentials.use_refresh_token", "true"));
        return rep;
    }

    record Outcome(int status, JsonNode body, Map<String, Object> claims) {
    }

    /** Status, body (volatile values masked) and token claims (volatile values masked). */
    Outcome outcome(TestRealm realm, List<String[]> form) {
        HttpResult r = realm.tokenRequest(Map.of(), form);
        JsonNode body = r.json();
        Map<String, Object> claims = null;
        if (body.has("access_token")) {
            Jwt t = Jwt.verified(body.get("access_token").asText(), realm.jwksUrl());
            claims = new TreeMap<>(t.claims());
            for (String volatileClaim : List.of("exp", "iat", "jti", "iss", "sub", "sid", "auth_time")) {
                claims.computeIfPresent(volatileClaim, (k, v) -> "<" + k + ">");
            }
            claims.put("<header>", t.alg() + " " + t.typ());
            claims.computeIfPresent("scope", (k, v) -> sortedScopes(String.valueOf(v)));
        }
        com.fasterxml.jackson.databind.node.ObjectNode masked = body.deepCopy();
        for (String volatileField : List.of("access_token", "refresh_token", "id_token", "session_state")) {
            if (masked.has(volatileField)) masked.put(volatileField, "<" + volatileField + ">");
        }
        // Keycloak orders client scopes by hash
        if (masked.has("scope")) masked.put("scope", sortedScopes(masked.get("scope").asText()));
        // both lifetimes are counted from the session's start: a second boundary may pass before they are computed
        for (String lifetime : List.of("expires_in", "refresh_expires_in")) {
            if (masked.has(lifetime)) masked.put(lifetime, Math.round(masked.get(lifetime).asLong() / 10.0) * 10);
        }
        return new Outcome(r.status(), masked, claims);
    }

    static String sortedScopes(String scope) {
        return String.join(" ", new java.util.TreeSet<>(List.of(scope.split(" "))));
    }

    /** The same outcome on both servers; returned so the test also checks what that outcome is. */
    Outcome assertSame(String clientId, String... params) {
        List<String[]> oursForm = form(oursClients.get(clientId), clientId, params);
        List<String[]> theirsForm = form(theirClients.get(clientId), clientId, params);
        Outcome a = outcome(ours, oursForm);
        Outcome b = outcome(theirs, theirsForm);
        assertThat(a).as("with keycloak-m2m vs vanilla for client %s %s", clientId, List.of(params)).isEqualTo(b);
        return a;
    }

    /** Parity alone would also hold if both servers failed the same way: what the outcome must be. */
    static void assertOutcome(Outcome o, int status, String error) {
        assertThat(o.status()).as("%s", o).isEqualTo(status);
        if (error == null) {
            assertThat(o.body().has("access_token")).as("%s", o).isTrue();
            assertThat(o.claims()).as("%s", o).isNotNull();
        } else {
            assertThat(o.body().path("error").asText()).as("%s", o).isEqualTo(error);
        }
    }

    static List<String[]> form(Client client, String clientId, String... params) {
        List<String[]> form = new ArrayList<>(Http.pairs("grant_type", "client_credentials", "client_id", clientId));
        form.add(new String[] {"client_secret", client == null ? "" : client.secret()});
        form.addAll(Http.pairs(params));
        return form;
    }

    @Test
    @DisplayName("same claims, scopes and response fields for a plain client_credentials request")
    void plain() {
        assertSame("svc");
        Outcome o = outcome(ours, form(oursClients.get("svc"), "svc"));
        assertThat(o.claims()).containsKeys("realm_access", "resource_access", "preferred_username", "scope", "azp");
    }

    @Test
    @DisplayName("same with optional client scopes requested")
    void optionalScopes() {
        Outcome o = assertSame("svc", "scope", "address phone");
        assertOutcome(o, 200, null);
        assertThat(String.valueOf(o.claims().get("scope")).split(" ")).contains("address", "phone");
        assertOutcome(assertSame("svc", "scope", "openid"), 200, null);
    }

    @Test
    @DisplayName("same refresh token behaviour for a client that enables it")
    void refreshTokens() {
        Outcome o = assertSame("refreshing");
        assertOutcome(o, 200, null);
        assertThat(o.body().path("refresh_token").asText()).isEqualTo("<refresh_token>");
    }

    @Test
    @DisplayName("same errors: unknown scope, client without service accounts, public client, wrong secret, unknown client")
    void errors() {
        assertOutcome(assertSame("svc", "scope", "read:orders"), 400, "invalid_scope");
        assertOutcome(assertSame("no-sa"), 401, "unauthorized_client");
        assertOutcome(assertSame("public-app"), 401, "unauthorized_client");
        assertThat(assertSame("ghost").status()).isEqualTo(401);
        assertThat(outcome(ours, form(new Client("svc", "wrong", null), "svc")))
                .isEqualTo(outcome(theirs, form(new Client("svc", "wrong", null), "svc")));
    }

    @Test
    @DisplayName("same answer when scope holds control characters: Keycloak strips them, the jar does not step in without an API")
    void controlCharactersInScope() {
        if (!KeycloakVersions.limitsTokenParameters()) {
            // before 26.6 Keycloak keeps the characters: the scope is unknown, on both servers alike
            assertOutcome(assertSame("svc", "scope", "email\u0000"), 400, "invalid_scope");
            assertOutcome(assertSame("svc", "scope", "address\u0007 phone\u007f"), 400, "invalid_scope");
            assertOutcome(assertSame("svc", "scope", "address\tphone"), 400, "invalid_scope");
            assertOutcome(assertSame("svc", "scope", "read:orders\u0000"), 400, "invalid_scope");
            assertOutcome(assertSame("svc", "scope", "email"), 200, null);
            return;
        }
        assertOutcome(assertSame("svc", "scope", "email\u0000"), 200, null);
        Outcome o2 = assertSame("svc", "scope", "address\u0007 phone\u007f");
        assertOutcome(o2, 200, null);
        assertThat(String.valueOf(o2.claims().get("scope")).split(" ")).as("stripped, then granted").contains("address", "phone");
        assertOutcome(assertSame("svc", "scope", "address\tphone"), 400, "invalid_scope");
        assertOutcome(assertSame("svc", "scope", "address\nphone"), 400, "invalid_scope");
        assertOutcome(assertSame("svc", "scope", "read:orders\u0000"), 400, "invalid_scope");
        // both strip, so the answer is the plain token with the email scope: a check that this compares something
        Outcome o = outcome(ours, form(oursClients.get("svc"), "svc", "scope", "email\u0000"));
        assertThat(o.status()).isEqualTo(200);
        assertThat(String.valueOf(o.claims().get("scope"))).contains("email");
        assertThat(String.valueOf(o.claims().get("aud"))).doesNotContain("https://api.example.com/orders");
    }

    @Test
    @DisplayName("same errors for duplicated parameters Keycloak rejects")
    void duplicates() {
        assertOutcome(assertSame("svc", "scope", "email", "scope", "profile"), 400, "invalid_request");
    }
}
