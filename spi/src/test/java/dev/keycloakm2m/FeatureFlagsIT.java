package dev.keycloakm2m;

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

import java.text.ParseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.legacy.Components;
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
 * A server of its own with our jar, Keycloak's experimental {@code resource-indicators} feature ON and
 * {@code declarative-ui} OFF. Issue 3, point 10: resource= values that name one of our APIs behave exactly as
 * without the feature; other resource= values are left to Keycloak's resource indicators. Issue 6: the console
 * pages need declarative-ui, nothing else does (realm import, component endpoint, token endpoint).
 * Before Keycloak 26.6 the feature does not exist (the harness drops it from {@code --features}): there a
 * {@code resource=} that is not one of our APIs gets our own {@code invalid_target}. Issue 19: metrics are off here
 * (the shared server has them on): the extension records nothing and everything works as with them. Issue 16: this
 * server's HTTP body limit is raised to 64 MB, so an Auth0 import over 50 MB reaches the import and gets its 400.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("with resource-indicators on, declarative-ui off and metrics off")
class FeatureFlagsIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String API = "https://inventory.example.com";
    KeycloakServer server;
    TestRealm realm;
    Client svc;

    @BeforeAll
    void setUp() {
        Path target = Path.of(System.getProperty("m2m.test-output", "target"));
        server = KeycloakServer.start(KeycloakServer.options().name("keycloak-feature-flags")
                .home(target.resolve("keycloak-feature-flags")).provider(KeycloakExtension.jar())
                .buildArg("--features=resource-indicators")
                // issue 16: Keycloak's HTTP layer refuses bodies over 10 MB with 413; raised, the import's own 50 MB limit answers
                .env("JAVA_OPTS_APPEND", "-Dquarkus.http.limits.max-body-size=64M"));
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
    @DisplayName("a resource that is not one of our APIs goes to Keycloak's resource indicators (its own invalid_target);"
            + " before 26.6, which has no such feature, it gets ours")
    void keycloakResource() {
        HttpResult r = realm.clientCredentials(svc, "resource", "https://billing.example.com");
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_target");
        if (KeycloakVersions.hasResourceIndicators()) {
            assertThat(r.json().get("error_description").asText()).doesNotStartWith("Unknown API");
        } else {
            assertThat(r.json().get("error_description").asText()).isEqualTo("Unknown API: https://billing.example.com");
        }
    }

    @Test
    @DisplayName("the server runs with declarative-ui off, and still registers the component providers realm files of 0.1.x name")
    void featureOff() {
        JsonNode info = AdminClient.master(server).get("/admin/serverinfo").json();
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

        TestRealm realm = TestRealm.importRealm(server, AdminClient.master(server), Http.json(rep));
        try {
            HttpResult r = realm.clientCredentials(new TestRealm.Client("svc-inventory", "svc-inventory-secret", null), "audience", API);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            JWTClaimsSet claims = SignedJWT.parse(r.json().path("access_token").asText()).getJWTClaimsSet();
            assertThat(claims.getAudience()).containsExactly(API);
            assertThat(claims.getStringClaim("scope")).isEqualTo("read:stock");

            // the file's components were converted into the m2m tables: none is left in the realm
            assertThat(realm.get("/components?type=" + Components.PAGE_TYPE).json().findValuesAsText("providerId"))
                    .doesNotContain(Components.API_PROVIDER_ID, Components.GRANT_PROVIDER_ID);
            assertThat(realm.get("/m2m/resource-servers/" + java.net.URLEncoder.encode(API, java.nio.charset.StandardCharsets.UTF_8))
                    .json().path("name").asText()).isEqualTo("Inventory API");

            // outside a realm import the component endpoint refuses m2m components, pointing at the admin API
            HttpResult component = realm.postComponent(Components.PAGE_TYPE, Components.API_PROVIDER_ID,
                    Map.of("name", "Copy", "identifier", "urn:copy"));
            assertThat(component.status()).isEqualTo(400);
            assertThat(component.json().path("errorMessage").asText()).contains("/admin/realms/{realm}/m2m");
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

    @Test
    @DisplayName("metrics off: no /metrics, and API tokens, refusals and a quota's 429 work as with metrics on")
    void metricsOff() {
        assertThat(Http.get(server.managementUrl() + "/metrics", Map.of()).status()).isEqualTo(404);
        Client limited = realm.createClient("svc-quota");
        realm.createGrant("svc-quota", ORDERS, List.of("read:orders"), false);
        HttpResult q = realm.put("/m2m/clients/svc-quota/token-quota", Map.of("client_credentials", Map.of("per_day", 1)));
        assertThat(q.status()).as("%s", q).isIn(200, 201);
        HttpResult first = realm.clientCredentials(limited, "audience", ORDERS);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        HttpResult second = realm.clientCredentials(limited, "audience", ORDERS);
        assertThat(second.status()).as("%s", second).isEqualTo(429);
        assertThat(second.json().get("error").asText()).isEqualTo("too_many_requests");
        HttpResult unknown = realm.clientCredentials(limited, "audience", "https://api.example.com/nothing");
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("invalid_target");
    }

    @Test
    @DisplayName("an Auth0 import of 50 MB + 1 byte (HTTP limit raised): 400 naming the request body, nothing written")
    void importOver50Megabytes() {
        HttpResult before = realm.get("/m2m/resource-servers?per_page=100");
        byte[] body = new byte[50 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        String url = server.baseUrl() + "/admin/realms/" + realm.name() + "/m2m/import";
        HttpResult r = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Bearer " + realm.admin().token()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("file").asText()).isEqualTo("request body");
        assertThat(r.json().path("errorMessage").asText()).contains("larger than 50 MB");
        assertThat(realm.get("/m2m/resource-servers?per_page=100").json()).isEqualTo(before.json());
    }
}
