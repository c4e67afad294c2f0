package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;

/**
 * The console pages need the experimental {@code declarative-ui} feature; nothing else does. A server of its own,
 * started without the feature: realm import, the component endpoint (with its validation) and the token endpoint
 * work as with it.
 */
class WithoutDeclarativeUiIT {

    static final String API = "https://inventory.example.com";

    static KeycloakServer server;
    static AdminClient admin;

    @BeforeAll
    static void startWithoutTheFeature() {
        server = KeycloakServer.start(KeycloakServer.options()
                .name("keycloak-without-declarative-ui")
                .home(Path.of(System.getProperty("m2m.test-output", "target")).resolve("keycloak-without-declarative-ui"))
                .provider(KeycloakExtension.jar()));
        admin = AdminClient.master(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @DisplayName("the server runs with declarative-ui off, and still registers our page and tab providers")
    void featureOff() {
        JsonNode info = admin.get("/admin/serverinfo").json();
        JsonNode feature = null;
        for (JsonNode f : info.path("features")) {
            if ("DECLARATIVE_UI".equals(f.path("name").asText())) feature = f;
        }
        assertThat(feature).as("declarative-ui in serverinfo features").isNotNull();
        assertThat(feature.path("enabled").asBoolean()).isFalse();
        assertThat(info.path("componentTypes").path(Components.PAGE_TYPE).findValuesAsText("id"))
                .contains(Components.API_PROVIDER_ID, Components.GRANT_PROVIDER_ID);
    }

    @Test
    @DisplayName("a realm imported with an API and a client grant gives tokens for that API with the granted scope")
    void realmImportAndTokens() throws ParseException {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", "svc-inventory");
        client.put("publicClient", false);
        client.put("serviceAccountsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("secret", "svc-inventory-secret");
        Map<String, Object> api = component("Inventory API", Components.API_PROVIDER_ID, Map.of(
                "name", List.of("Inventory API"), "identifier", List.of(API),
                "scopes", List.of("[{\"key\":\"read:stock\",\"value\":\"Read stock\"},{\"key\":\"write:stock\",\"value\":\"Change stock\"}]")));
        Map<String, Object> grant = component("svc-inventory", Components.GRANT_PROVIDER_ID, Map.of(
                "client_id", List.of("svc-inventory"), "audience", List.of(API), "scope", List.of("read:stock")));
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("realm", "no-declarative-ui");
        rep.put("enabled", true);
        rep.put("clients", List.of(client));
        rep.put("components", Map.of(Components.PAGE_TYPE, List.of(api, grant)));

        TestRealm realm = TestRealm.importRealm(server, admin, Http.json(rep));
        try {
            HttpResult r = realm.clientCredentials(new TestRealm.Client("svc-inventory", "svc-inventory-secret", null), "audience", API);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            JWTClaimsSet claims = SignedJWT.parse(r.json().path("access_token").asText()).getJWTClaimsSet();
            assertThat(claims.getAudience()).containsExactly(API);
            assertThat(claims.getStringClaim("scope")).isEqualTo("read:stock");

            // the component endpoint (what scripts and the console use) validates the same way
            HttpResult duplicate = realm.postComponent(Components.PAGE_TYPE, Components.API_PROVIDER_ID,
                    Map.of("name", "Copy", "identifier", API));
            assertThat(duplicate.status()).isEqualTo(400);
            assertThat(duplicate.json().path("errorMessage").asText()).isEqualTo(ResourceServerValidator.DUPLICATE_IDENTIFIER);
        } finally {
            realm.close();
        }
    }

    private static Map<String, Object> component(String name, String providerId, Map<String, List<String>> config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("providerId", providerId);
        c.put("config", config);
        return c;
    }
}
