package dev.keycloakm2m.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 3, point 10: with Keycloak's experimental resource-indicators feature on, resource= values that name one of
 * our APIs behave exactly as without it; other resource= values are left to Keycloak's own resource indicators.
 * Runs its own server with our jar and --features=resource-indicators (and without declarative-ui).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("with Keycloak's resource-indicators feature enabled")
class ResourceIndicatorsIT {

    static final String ORDERS = "https://api.example.com/orders";
    KeycloakServer server;
    TestRealm realm;
    Client svc;

    @BeforeAll
    void setUp() {
        Path target = Path.of(System.getProperty("m2m.test-output", "target"));
        server = KeycloakServer.start(KeycloakServer.options().name("keycloak-resource-indicators")
                .home(target.resolve("keycloak-resource-indicators")).provider(KeycloakExtension.jar())
                .buildArg("--features=resource-indicators"));
        realm = TestRealm.create(server, AdminClient.master(server), "resource-indicators");
        realm.createApi("Orders", ORDERS, Map.of("read:orders", ""), null);
        svc = realm.createClient("svc");
        realm.createGrant("svc", ORDERS, List.of("read:orders"), false);
        Map<String, Object> billing = new LinkedHashMap<>();
        billing.put("clientId", "billing-service");
        billing.put("publicClient", false);
        billing.put("secret", "billing-secret");
        billing.put("attributes", Map.of("resource_url", "https://billing.example.com"));
        realm.createClient(billing);
    }

    @AfterAll
    void tearDown() {
        if (server != null) server.close();
    }

    @Test
    @DisplayName("resource naming one of our APIs: our API token, as without the feature")
    void ourApi() {
        HttpResult r = realm.clientCredentials(svc, "resource", ORDERS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Jwt t = Jwt.verified(r.json().get("access_token").asText(), realm.jwksUrl());
        assertThat(t.claim("aud")).isEqualTo(ORDERS);
        assertThat(t.string("scope")).isEqualTo("read:orders");
        assertThat(t.string("gty")).isEqualTo("client-credentials");
    }

    @Test
    @DisplayName("audience always names our APIs; refusals are ours")
    void audience() {
        HttpResult r = realm.clientCredentials(svc, "audience", "https://unknown.example.com");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error_description").asText()).isEqualTo("Unknown API: https://unknown.example.com");
    }

    @Test
    @DisplayName("a resource that is not one of our APIs goes to Keycloak's resource indicators (its own invalid_target)")
    void keycloakResource() {
        HttpResult r = realm.clientCredentials(svc, "resource", "https://billing.example.com");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_target");
        assertThat(r.json().get("error_description").asText()).doesNotStartWith("Unknown API");
    }

    @Test
    @DisplayName("the console feature is off here: token endpoint and component storage still work")
    void withoutDeclarativeUi() {
        HttpResult info = AdminClient.master(server).get("/admin/serverinfo");
        com.fasterxml.jackson.databind.JsonNode declarativeUi = null;
        for (com.fasterxml.jackson.databind.JsonNode f : info.json().get("features")) {
            if ("DECLARATIVE_UI".equals(f.path("name").asText())) declarativeUi = f;
        }
        assertThat(declarativeUi).as("DECLARATIVE_UI in server info").isNotNull();
        assertThat(declarativeUi.path("enabled").asBoolean()).isFalse();
        assertThat(realm.clientCredentials(svc, "audience", ORDERS).status()).isEqualTo(200);
    }
}
