package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakVersions;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 3, point 9: hostile or broken input on the token path gets a clean 4xx OAuth error, never a 500. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("bad input at the token endpoint")
class BadInputIT {

    static final String ORDERS = "https://api.example.com/orders";
    TestRealm realm;
    Client svc;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
        realm.createApi("Orders", ORDERS, Map.of("read:orders", ""), null);
        svc = realm.createClient("svc");
        realm.createGrant("svc", ORDERS, List.of("read:orders"), false);
    }

    static void clean4xx(HttpResult r) {
        assertThat(r.status()).as(r.toString()).isBetween(400, 499);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.");
    }

    static void oauthError(HttpResult r, String error) {
        clean4xx(r);
        assertThat(r.json().get("error").asText()).isEqualTo(error);
    }

    @Test
    @DisplayName("values longer than Keycloak accepts are refused, never dropped: no plain or all-scopes token instead")
    void longValues() {
        String huge = "https://api.example.com/" + "x".repeat(100_000);
        if (KeycloakVersions.limitsTokenParameters()) {
            assertThat(realm.clientCredentials(svc, "audience", huge).json()).isEqualTo(Http.JSON.createObjectNode()
                    .put("error", "invalid_target").put("error_description", "The audience parameter is longer than this server accepts"));
        } else {
            // Keycloak before 26.6 passes long values on: not one of our APIs
            oauthError(realm.clientCredentials(svc, "audience", huge), "invalid_target");
        }
        oauthError(realm.clientCredentials(svc, "resource", huge), "invalid_target");
        if (KeycloakVersions.limitsTokenParameters()) {
            assertThat(realm.clientCredentials(svc, "audience", ORDERS, "scope", "s".repeat(100_000)).json()).isEqualTo(Http.JSON.createObjectNode()
                    .put("error", "invalid_scope").put("error_description", "The scope parameter is longer than this server accepts"));
        } else {
            oauthError(realm.clientCredentials(svc, "audience", ORDERS, "scope", "s".repeat(100_000)), "invalid_scope");
        }
        HttpResult r = realm.clientCredentials(svc, "audience", "https://api.example.com/" + "y".repeat(1500));
        oauthError(r, "invalid_target");
        assertThat(r.json().get("error_description").asText()).as("echo is cut").hasSizeLessThan(700);
    }

    @Test
    @DisplayName("control characters: Keycloak strips them from every parameter before any check (26.6+), as without the jar;"
            + " before, they are part of the value, which then names no API")
    void controlCharacters() {
        HttpResult r = realm.clientCredentials(svc, "audience", "https://api\u0000.example.com/\u0007orders", "scope", "read:orders\u0000");
        if (KeycloakVersions.limitsTokenParameters()) {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("scope").asText()).isEqualTo("read:orders");
        } else {
            oauthError(r, "invalid_target");
            oauthError(realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders\u0000"), "invalid_scope");
        }
        oauthError(realm.clientCredentials(svc, "audience", "https://api.example.com/\u0001other"), "invalid_target");
        oauthError(realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders\tx"), "invalid_scope");
    }

    @Test
    @DisplayName("invalid UTF-8, percent-encoded and raw")
    void invalidUtf8() {
        String base = "grant_type=client_credentials&client_id=svc&client_secret=" + Http.enc(svc.secret());
        clean4xx(raw((base + "&audience=https%3A%2F%2Fapi%FF%FE.example.com").getBytes(StandardCharsets.US_ASCII)));
        byte[] prefix = (base + "&audience=").getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0x80};
        byte[] body = new byte[prefix.length + bad.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(bad, 0, body, prefix.length, bad.length);
        clean4xx(raw(body));
        clean4xx(raw((base + "&scope=%E2%82&audience=" + Http.enc(ORDERS)).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    @DisplayName("unknown parameters are ignored; a broken resource URI is invalid_target")
    void unknownParams() {
        HttpResult r = realm.clientCredentials(svc, "audience", ORDERS, "foo", "bar", "organization", "acme");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        oauthError(realm.clientCredentials(svc, "resource", "https://a b/c"), "invalid_target");
        oauthError(realm.clientCredentials(svc, "resource", "http://[::1"), "invalid_target");
    }

    @Test
    @DisplayName("after all of that, the API and its grant still work")
    void stillWorks() {
        longValues();
        controlCharacters();
        HttpResult r = realm.clientCredentials(svc, "audience", ORDERS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("read:orders");
    }

    HttpResult raw(byte[] body) {
        return Http.send(HttpRequest.newBuilder(URI.create(realm.tokenUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
