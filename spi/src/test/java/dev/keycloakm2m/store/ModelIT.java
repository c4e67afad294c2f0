package dev.keycloakm2m.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * The storage in our own tables: uniqueness under concurrent writers (the database decides), cascades (API, client,
 * realm), clientId renames, and that tokens see every committed change at once.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("APIs, grants, quotas and settings as stored data")
class ModelIT {

    TestRealm realm;
    KeycloakServer server;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
        this.server = realm.server();
    }

    List<JsonNode> grantsOf(TestRealm r, String clientId) {
        List<JsonNode> out = new ArrayList<>();
        r.get("/m2m/client-grants?client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)).json().forEach(out::add);
        return out;
    }

    static Map<String, Object> api(String name, String identifier) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("identifier", identifier);
        body.put("scopes", List.of(Map.of("value", "read", "description", "")));
        return body;
    }

    /** Sends {@code count} requests at the same moment; their statuses, in request order. */
    static List<Integer> simultaneously(int count, IntFunction<HttpResult> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return request.apply(n).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) statuses.add(f.get());
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("20 simultaneous creates of the same API identifier: exactly one 201, the others 409, one API")
    void concurrentSameApi() throws Exception {
        List<Integer> statuses = simultaneously(20, i -> realm.post("/m2m/resource-servers", api("Same " + i, "urn:same")));
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        JsonNode listed = realm.get("/m2m/resource-servers?identifiers=urn:same").json();
        assertThat(listed).hasSize(1);
    }

    @Test
    @DisplayName("40 simultaneous creates of different APIs: 40 × 201, 40 APIs")
    void concurrentDifferentApis() throws Exception {
        List<Integer> statuses = simultaneously(40, i -> realm.post("/m2m/resource-servers", api("Many " + i, "urn:many:" + i)));
        assertThat(statuses).containsOnly(201).hasSize(40);
        JsonNode all = realm.get("/m2m/resource-servers?per_page=100&include_totals=true").json();
        long many = 0;
        for (JsonNode a : all.get("resource_servers")) if (a.get("identifier").asText().startsWith("urn:many:")) many++;
        assertThat(many).isEqualTo(40);
    }

    @Test
    @DisplayName("20 simultaneous creates of the same grant: exactly one 201, the others 409, one grant")
    void concurrentSameGrant() throws Exception {
        realm.createApi("G", "urn:grant-race", Map.of("read", ""), null);
        realm.createClient("race-svc");
        Map<String, Object> body = Map.of("client_id", "race-svc", "audience", "urn:grant-race", "scope", List.of("read"));
        List<Integer> statuses = simultaneously(20, i -> realm.post("/m2m/client-grants", body));
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        assertThat(grantsOf(realm, "race-svc")).hasSize(1);
    }

    @Test
    @DisplayName("deleting an API deletes its grants; the next token request gets Unknown API")
    void apiCascade() {
        String api = realm.createApi("C", "https://c.example.com", Map.of("x", ""), null);
        Client svc = realm.createClient("c-svc");
        realm.createGrant("c-svc", "https://c.example.com", List.of("x"), false);
        assertThat(realm.clientCredentials(svc, "audience", "https://c.example.com").status()).isEqualTo(200);
        assertThat(realm.delete("/m2m/resource-servers/" + api).status()).isEqualTo(204);
        assertThat(grantsOf(realm, "c-svc")).isEmpty();
        HttpResult r = realm.clientCredentials(svc, "audience", "https://c.example.com");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error_description").asText()).isEqualTo("Unknown API: https://c.example.com");
    }

    @Test
    @DisplayName("deleting a Keycloak client deletes its grants and its token quota; a new client of the same clientId starts clean")
    void clientCascade() {
        realm.createApi("D", "https://d.example.com", Map.of(), null);
        Client svc = realm.createClient("d-svc");
        realm.createGrant("d-svc", "https://d.example.com", List.of(), false);
        HttpResult quota = realm.put("/m2m/clients/d-svc/token-quota", Map.of("client_credentials", Map.of("per_hour", 5)));
        assertThat(quota.status()).as(quota.toString()).isEqualTo(201);
        assertThat(grantsOf(realm, "d-svc")).hasSize(1);
        assertThat(realm.delete("/clients/" + svc.id()).status()).isEqualTo(204);
        assertThat(grantsOf(realm, "d-svc")).isEmpty();
        realm.createClient("d-svc");
        assertThat(grantsOf(realm, "d-svc")).isEmpty();
        assertThat(realm.get("/m2m/clients/d-svc/token-quota").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("renaming a client's Client ID: its grants follow (stored by the client's internal id)")
    void clientRename() {
        realm.createApi("R", "https://r.example.com", Map.of("r", ""), null);
        Client svc = realm.createClient("r-old");
        realm.createGrant("r-old", "https://r.example.com", List.of("r"), false);
        ObjectNode rep = (ObjectNode) realm.get("/clients/" + svc.id()).json();
        rep.put("clientId", "r-new");
        assertThat(realm.put("/clients/" + svc.id(), rep).status()).isEqualTo(204);
        assertThat(grantsOf(realm, "r-old")).isEmpty();
        assertThat(grantsOf(realm, "r-new")).hasSize(1);
        HttpResult r = realm.clientCredentials(new Client("r-new", svc.secret(), svc.id()), "audience", "https://r.example.com");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("r");
    }

    @Test
    @DisplayName("removing a scope from an API: no token carries it any more, and grants no longer list it")
    void scopeRemoval() {
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("keep", "");
        scopes.put("drop", "");
        String api = realm.createApi("S", "https://s.example.com", scopes, null);
        Client svc = realm.createClient("s-svc");
        Client all = realm.createClient("s-all");
        realm.createGrant("s-svc", "https://s.example.com", List.of("keep", "drop"), false);
        realm.createGrant("s-all", "https://s.example.com", List.of(), true);
        HttpResult patched = realm.patch("/m2m/resource-servers/" + api, Map.of("scopes", List.of(Map.of("value", "keep", "description", ""))));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(realm.clientCredentials(svc, "audience", "https://s.example.com").json().get("scope").asText()).isEqualTo("keep");
        assertThat(realm.clientCredentials(all, "audience", "https://s.example.com").json().get("scope").asText()).isEqualTo("keep");
        assertThat(grantsOf(realm, "s-svc").get(0).get("scope")).hasSize(1);
        HttpResult r = realm.clientCredentials(svc, "audience", "https://s.example.com", "scope", "drop");
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    @DisplayName("a token request sees a new or deleted grant at once")
    void immediate() {
        realm.createApi("I", "https://i.example.com", Map.of(), null);
        Client svc = realm.createClient("i-svc");
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(400);
        String grant = realm.createGrant("i-svc", "https://i.example.com", List.of(), false);
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(200);
        assertThat(realm.delete("/m2m/client-grants/" + grant).status()).isEqualTo(204);
        assertThat(realm.clientCredentials(svc, "audience", "https://i.example.com").status()).isEqualTo(400);
    }

    @Test
    @DisplayName("deleting the API named as default audience clears it, the other settings stay")
    void settings() {
        String api = realm.createApi("Def", "https://def.example.com", Map.of(), null);
        realm.putSettings(Map.of("default_audience", "https://def.example.com", "error_style", "auth0"));
        assertThat(realm.delete("/m2m/resource-servers/" + api).status()).isEqualTo(204);
        JsonNode settings = realm.get("/m2m/settings").json();
        assertThat(settings.get("default_audience").isNull()).isTrue();
        assertThat(settings.get("error_style").asText()).isEqualTo("auth0");
        realm.putSettings(Map.of("error_style", "rfc"));
    }

    @Test
    @DisplayName("deleting a realm removes all of its m2m data: a realm created again with the same id starts empty")
    void realmCascade() {
        AdminClient admin = AdminClient.master(server);
        String realmJson = Http.json(Map.of("id", "cascade-realm-id", "realm", "cascade", "enabled", true));
        TestRealm doomed = TestRealm.importRealm(server, admin, realmJson);
        doomed.createApi("Doomed", "urn:doomed", Map.of("r", ""), null);
        doomed.createClient("doomed-svc");
        doomed.createGrant("doomed-svc", "urn:doomed", List.of("r"), false);
        assertThat(doomed.put("/m2m/clients/doomed-svc/token-quota", Map.of("client_credentials", Map.of("per_day", 3))).status()).isEqualTo(201);
        doomed.putSettings(Map.of("error_style", "auth0"));
        assertThat(admin.delete("/admin/realms/cascade").status()).isEqualTo(204);

        TestRealm again = TestRealm.importRealm(server, admin, realmJson);
        try {
            assertThat(again.get("/m2m/resource-servers").json()).isEmpty();
            assertThat(again.get("/m2m/client-grants").json()).isEmpty();
            assertThat(again.get("/m2m/settings").json().get("error_style").asText()).isEqualTo("rfc");
            assertThat(again.get("/m2m/token-usage").json()).isEmpty();
        } finally {
            again.close();
        }
    }
}
