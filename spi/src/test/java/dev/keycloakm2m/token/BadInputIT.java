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
        realm.createApi("Orders", ORDERS, Map.of("read:orders", "", "write:orders", ""), null);
        svc = realm.createClient("svc");
        realm.createGrant("svc", ORDERS, List.of("read:orders", "write:orders"), false);
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

    /** C0 (NUL, BEL, TAB, LF, CR, ESC), DEL and C1 (NEL): each makes the value malformed. */
    static final List<String> CONTROLS = List.of("\u0000", "\u0007", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085");

    static com.fasterxml.jackson.databind.node.ObjectNode error(String error, String description) {
        return Http.JSON.createObjectNode().put("error", error).put("error_description", description);
    }

    @Test
    @DisplayName("a control character in audience, resource or scope: 400 invalid_target / invalid_scope, never the cleaned value")
    void controlCharacters() {
        for (String c : CONTROLS) {
            String shown = String.format("U+%04X", (int) c.charAt(0));
            HttpResult r = realm.clientCredentials(svc, "audience", ORDERS + c);
            assertThat(r.status()).as("audience with %s: %s", shown, r).isEqualTo(400);
            assertThat(r.json()).as("audience with %s", shown)
                    .isEqualTo(error("invalid_target", "The audience parameter must not contain control characters"));
            r = realm.clientCredentials(svc, "resource", ORDERS + c);
            assertThat(r.status()).as("resource with %s: %s", shown, r).isEqualTo(400);
            assertThat(r.json()).as("resource with %s", shown)
                    .isEqualTo(error("invalid_target", "The resource parameter must not contain control characters"));
            r = realm.clientCredentials(svc, "audience", c + ORDERS, "resource", ORDERS);
            assertThat(r.json()).as("audience with %s beside a clean resource", shown)
                    .isEqualTo(error("invalid_target", "The audience parameter must not contain control characters"));
            r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders" + c);
            assertThat(r.status()).as("scope with %s: %s", shown, r).isEqualTo(400);
            assertThat(r.json()).as("scope with %s", shown)
                    .isEqualTo(error("invalid_scope", "The scope parameter must not contain control characters"));
        }
        // the examples: served as the orders API, as read:orders, refused as an unknown scope never sent
        HttpResult r = realm.clientCredentials(svc, "audience", "https://api\u0000.example.com/\u0007orders", "scope", "read:orders");
        assertThat(r.json()).isEqualTo(error("invalid_target", "The audience parameter must not contain control characters"));
        r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders\u0000\u0007");
        assertThat(r.json()).isEqualTo(error("invalid_scope", "The scope parameter must not contain control characters"));
        r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders\twrite:orders");
        assertThat(r.json()).isEqualTo(error("invalid_scope", "The scope parameter must not contain control characters"));
        // a control character alone is not "no audience": the client sent one
        r = realm.clientCredentials(svc, "audience", "\u0000");
        assertThat(r.json()).isEqualTo(error("invalid_target", "The audience parameter must not contain control characters"));
    }

    @Test
    @DisplayName("text Keycloak deletes although it is no control character (%0A sent as %250A, [1m): refused, not cleaned")
    void alteredByKeycloak() {
        // only Keycloak 26.6+ removes such text; before, it stays in the value (and names no API / no scope)
        org.junit.jupiter.api.Assumptions.assumeTrue(KeycloakVersions.limitsTokenParameters(),
                "Keycloak before 26.6 does not sanitize token request parameters");
        String description = " parameter contains text this server removes from request parameters"
                + " (an encoded control character or a terminal escape sequence)";
        assertThat(realm.clientCredentials(svc, "audience", ORDERS + "%0A").json())
                .isEqualTo(error("invalid_target", "The audience" + description));
        assertThat(realm.clientCredentials(svc, "resource", ORDERS + "%7f").json())
                .isEqualTo(error("invalid_target", "The resource" + description));
        assertThat(realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders[1m").json())
                .isEqualTo(error("invalid_scope", "The scope" + description));
    }

    @Test
    @DisplayName("the space stays the scope separator; a refusal is a CLIENT_LOGIN_ERROR event with the reason")
    void spaceAndEvents() {
        HttpResult r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "write:orders read:orders");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(List.of(r.json().get("scope").asText().split(" "))).containsExactlyInAnyOrder("read:orders", "write:orders");
        assertThat(realm.clientCredentials(svc, "audience", ORDERS, "scope", " read:orders ").status()).isEqualTo(200);

        realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders\u0000");
        com.fasterxml.jackson.databind.JsonNode e = realm.events("type=CLIENT_LOGIN_ERROR&client=svc&max=1").get(0);
        assertThat(e.get("error").asText()).isEqualTo("invalid_scope");
        assertThat(e.at("/details/reason").asText()).isEqualTo("scope_control_characters");
        assertThat(e.at("/details/audience").asText()).isEqualTo(ORDERS);
        realm.clientCredentials(svc, "resource", ORDERS + "\u007f");
        e = realm.events("type=CLIENT_LOGIN_ERROR&client=svc&max=1").get(0);
        assertThat(e.get("error").asText()).isEqualTo("invalid_target");
        assertThat(e.at("/details/reason").asText()).isEqualTo("resource_control_characters");
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
        // organization is not unknown: it names an organization (OrganizationsIT)
        HttpResult r = realm.clientCredentials(svc, "audience", ORDERS, "foo", "bar", "tenant", "acme");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        oauthError(realm.clientCredentials(svc, "resource", "https://a b/c"), "invalid_target");
        oauthError(realm.clientCredentials(svc, "resource", "http://[::1"), "invalid_target");
    }

    @Test
    @DisplayName("after all of that, the API and its grant still work")
    void stillWorks() {
        longValues();
        controlCharacters();
        alteredByKeycloak();
        HttpResult r = realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("read:orders");
    }

    HttpResult raw(byte[] body) {
        return Http.send(HttpRequest.newBuilder(URI.create(realm.tokenUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }
}
