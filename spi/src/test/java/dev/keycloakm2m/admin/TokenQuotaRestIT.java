package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.SETTINGS;
import static dev.keycloakm2m.admin.M2mRest.assertError;
import static dev.keycloakm2m.admin.M2mRest.enc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 5 over the admin REST API: per-client quotas, the realm default in the settings, and token usage. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Admin REST token quotas: /m2m/clients/{client_id}/token-quota, token usage, the realm default in /m2m/settings")
class TokenQuotaRestIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String USAGE = "/m2m/token-usage";
    static final String NO_OWN_QUOTA = "The client has no token quota of its own";
    static final String LIMITS = "default_token_quota.clients.client_credentials";

    private TestRealm realm;
    private KeycloakServer server;
    private AdminClient master;
    private final List<TestRealm> extraRealms = new ArrayList<>();

    @BeforeAll
    void setUp(TestRealm realm, KeycloakServer server, AdminClient master) {
        this.realm = realm;
        this.server = server;
        this.master = master;
        M2mRest.createApi(realm, M2mRest.api("Orders", ORDERS, "read:orders"));
    }

    @AfterAll
    void tearDown() {
        extraRealms.forEach(TestRealm::close);
    }

    static String quota(String clientId) {
        return "/m2m/clients/" + enc(clientId) + "/token-quota";
    }

    static String usage(String clientId) {
        return "/m2m/clients/" + enc(clientId) + "/token-usage";
    }

    static Map<String, Object> body(Integer perHour, Integer perDay, Boolean enforce) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("per_hour", perHour);
        limits.put("per_day", perDay);
        if (enforce != null) limits.put("enforce", enforce);
        return Map.of("client_credentials", limits);
    }

    static String shape(Integer perHour, Integer perDay, boolean enforce) {
        return "{\"client_credentials\":{\"per_hour\":" + perHour + ",\"per_day\":" + perDay + ",\"enforce\":" + enforce + "}}";
    }

    static Map<String, Object> defaultQuota(Object clientCredentials) {
        Map<String, Object> body = new HashMap<>();
        body.put("default_token_quota", clientCredentials == null ? null : Map.of("clients", Map.of("client_credentials", clientCredentials)));
        return body;
    }

    private Client clientWithGrant(TestRealm in, String clientId) {
        Client c = in.createClient(clientId);
        in.createGrant(clientId, ORDERS, List.of("read:orders"), false);
        return c;
    }

    @Test
    @DisplayName("PUT creates (201 + Location) then replaces (200); GET shows it; DELETE 204, then 404")
    void crud() {
        realm.createClient("svc-crud");
        String path = quota("svc-crud");
        assertError(realm.get(path), 404, NO_OWN_QUOTA);
        assertError(realm.delete(path), 404, NO_OWN_QUOTA);

        HttpResult created = realm.put(path, body(100, null, null));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.body()).isEqualTo(shape(100, null, true));
        assertThat(created.requireHeader("Location")).isEqualTo(realm.admin().baseUrl() + "/admin/realms/" + realm.name() + path);
        assertThat(realm.get(path).body()).isEqualTo(shape(100, null, true));

        HttpResult replaced = realm.put(path, body(null, 2000, false));
        assertThat(replaced.status()).as("%s", replaced).isEqualTo(200);
        assertThat(replaced.header("Location")).isEmpty();
        assertThat(replaced.body()).as("replaced as a whole: per_hour is gone").isEqualTo(shape(null, 2000, false));
        assertThat(realm.get(path).body()).isEqualTo(shape(null, 2000, false));

        assertThat(realm.delete(path).status()).isEqualTo(204);
        assertError(realm.get(path), 404, NO_OWN_QUOTA);
    }

    @Test
    @DisplayName("unknown client: 404 \"Client not found\" for GET, PUT, DELETE and token-usage")
    void unknownClient() {
        for (HttpResult r : List.of(realm.get(quota("ghost")), realm.put(quota("ghost"), body(1, null, null)),
                realm.delete(quota("ghost")), realm.get(usage("ghost")))) {
            assertError(r, 404, "Client not found");
        }
    }

    @Test
    @DisplayName("invalid quotas: 400 naming the body field, with the validator's message; the stored quota is unchanged")
    void invalid() {
        realm.createClient("svc-invalid");
        String path = quota("svc-invalid");
        assertThat(realm.put(path, body(10, null, null)).status()).isEqualTo(201);

        JsonNode e = assertError(realm.put(path, body(0, null, null)), 400,
                "client_credentials.per_hour must be a whole number between 1 and 2147483647");
        assertThat(e.get("field").asText()).isEqualTo("client_credentials.per_hour");
        e = assertError(realm.put(path, Map.of("client_credentials", Map.of("per_day", 2147483648L))), 400,
                "client_credentials.per_day must be a whole number between 1 and 2147483647");
        assertThat(e.get("field").asText()).isEqualTo("client_credentials.per_day");
        e = assertError(realm.put(path, body(null, null, false)), 400, "a token quota needs per_hour, per_day or both");
        assertThat(e.get("field").asText()).isEqualTo("client_credentials.per_hour");
        e = assertError(realm.put(path, Map.of("client_credentials", Map.of("per_hour", 0, "per_day", -1))), 400,
                "client_credentials.per_hour must be a whole number between 1 and 2147483647");
        assertThat(e.get("errors")).as("every problem").hasSize(2);
        assertError(realm.put(path, Map.of()), 400, "client_credentials is required");
        assertError(realm.put(path, Map.of("client_credentials", Map.of("per_hour", "10"))), 400, "client_credentials.per_hour must be an integer");
        assertThat(realm.put(path, Map.of("client_credentials", Map.of("per_minute", 1))).json().get("field").asText())
                .isEqualTo("client_credentials.per_minute");
        assertThat(realm.put(path, Map.of("token_quota", Map.of())).json().get("field").asText()).isEqualTo("token_quota");
        assertThat(M2mRest.raw(realm, "PUT", path, Map.of("Content-Type", "text/plain"), "{}").status()).isEqualTo(415);
        assertThat(M2mRest.raw(realm, "PUT", path, Map.of("Content-Type", "application/json"), "{\"client_credentials\":").status()).isEqualTo(400);
        assertThat(M2mRest.raw(realm, "PUT", path, Map.of("Content-Type", "application/json"), "x".repeat(70_000)).status()).isEqualTo(413);

        assertThat(realm.get(path).body()).isEqualTo(shape(10, null, true));
    }

    @Test
    @DisplayName("client ids with slashes and unicode work URL-encoded in the path")
    void encodedClientIds() {
        for (String clientId : List.of("https://apps.example.com/reporting", "caf\u00e9 \ud83d\udce6")) {
            realm.createClient(clientId);
            HttpResult r = realm.put(quota(clientId), body(5, null, null));
            assertThat(r.status()).as("%s: %s", clientId, r).isEqualTo(201);
            assertThat(realm.get(quota(clientId)).body()).isEqualTo(shape(5, null, true));
            assertThat(realm.get(usage(clientId)).json().get("client_id").asText()).isEqualTo(clientId);
            assertThat(realm.delete(quota(clientId)).status()).isEqualTo(204);
        }
    }

    @Test
    @DisplayName("round trip: PUT 2 per hour over REST, third token 429, usage says 2 of 2, DELETE, tokens flow again")
    void roundTrip() {
        Client c = clientWithGrant(realm, "svc-roundtrip");
        assertThat(realm.put(quota("svc-roundtrip"), body(2, null, null)).status()).isEqualTo(201);
        assertThat(realm.clientCredentials(c, "audience", ORDERS).status()).isEqualTo(200);
        assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
        HttpResult refused = realm.clientCredentials(c, "audience", ORDERS);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).isEqualTo("too_many_requests");

        JsonNode usage = realm.get(usage("svc-roundtrip")).json();
        assertThat(usage.get("quota_source").asText()).isEqualTo("client");
        assertThat(usage.get("enforce").asBoolean()).isTrue();
        assertThat(usage.at("/per_hour/quota").asInt()).isEqualTo(2);
        assertThat(usage.at("/per_hour/used").asInt()).isEqualTo(2);
        assertThat(usage.at("/per_hour/remaining").asInt()).isZero();
        assertThat(usage.at("/per_day/quota").isNull()).isTrue();
        assertThat(usage.at("/per_day/used").asInt()).as("the day counts too, without a limit").isEqualTo(2);
        assertThat(usage.at("/per_day/remaining").isNull()).isTrue();
        Instant hourReset = Instant.parse(usage.at("/per_hour/reset_at").asText());
        Instant dayReset = Instant.parse(usage.at("/per_day/reset_at").asText());
        assertThat(hourReset.getEpochSecond() % 3600).isZero();
        assertThat(dayReset.getEpochSecond() % 86400).isZero();
        assertThat(hourReset).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600 + 60));
        assertThat(usage.at("/per_hour/reset_at").asText()).endsWith(":00:00.000Z");

        assertThat(realm.delete(quota("svc-roundtrip")).status()).isEqualTo(204);
        HttpResult free = realm.clientCredentials(c, "audience", ORDERS);
        assertThat(free.status()).isEqualTo(200);
        assertThat(free.header("X-RateLimit-Limit")).as("no quota applies any more").isEmpty();
        usage = realm.get(usage("svc-roundtrip")).json();
        assertThat(usage.get("quota_source").isNull()).isTrue();
        assertThat(usage.get("enforce").isNull()).isTrue();
        assertThat(usage.at("/per_hour/quota").isNull()).isTrue();
        assertThat(usage.at("/per_hour/used").asInt()).as("what was counted this hour is still reported").isEqualTo(2);
    }

    @Test
    @DisplayName("a client that never had a quota nor a token: usage answers with zeros and nulls")
    void usageOfUntouchedClient() {
        realm.createClient("svc-untouched");
        HttpResult r = realm.get(usage("svc-untouched"));
        assertThat(r.status()).isEqualTo(200);
        JsonNode u = r.json();
        assertThat(M2mRest.fieldNames(u)).containsExactly("client_id", "quota_source", "enforce", "per_hour", "per_day");
        assertThat(u.get("client_id").asText()).isEqualTo("svc-untouched");
        for (String bucket : List.of("per_hour", "per_day")) {
            assertThat(M2mRest.fieldNames(u.get(bucket))).containsExactly("quota", "used", "remaining", "reset_at");
            assertThat(u.at("/" + bucket + "/quota").isNull()).isTrue();
            assertThat(u.at("/" + bucket + "/used").asInt()).isZero();
            assertThat(u.at("/" + bucket + "/remaining").isNull()).isTrue();
        }
    }

    @Test
    @DisplayName("realm default through PATCH /m2m/settings: applies to a client without its own quota, the client's own wins, null removes it")
    void realmDefault() {
        Client own = clientWithGrant(realm, "svc-own");
        Client defaulted = clientWithGrant(realm, "svc-defaulted");
        assertThat(realm.put(quota("svc-own"), body(10, null, null)).status()).isEqualTo(201);
        try {
            HttpResult patched = realm.patch(SETTINGS, defaultQuota(Map.of("per_hour", 3, "per_day", 30, "enforce", true)));
            assertThat(patched.status()).as("%s", patched).isEqualTo(200);
            assertThat(patched.json().get("default_token_quota").toString())
                    .isEqualTo("{\"clients\":" + shape(3, 30, true) + "}");
            assertThat(realm.get(SETTINGS).json()).isEqualTo(patched.json());

            assertThat(realm.clientCredentials(defaulted, "audience", ORDERS).requireHeader("X-RateLimit-Limit")).isEqualTo("3");
            assertThat(realm.clientCredentials(own, "audience", ORDERS).requireHeader("X-RateLimit-Limit")).isEqualTo("10");
            JsonNode u = realm.get(usage("svc-defaulted")).json();
            assertThat(u.get("quota_source").asText()).isEqualTo("realm_default");
            assertThat(u.at("/per_hour/quota").asInt()).isEqualTo(3);
            assertThat(u.at("/per_day/quota").asInt()).isEqualTo(30);
            assertThat(u.at("/per_hour/used").asInt()).isEqualTo(1);
            assertThat(realm.get(usage("svc-own")).json().get("quota_source").asText()).isEqualTo("client");
            assertError(realm.get(quota("svc-defaulted")), 404, NO_OWN_QUOTA);

            // PATCH replaces the default as a whole; other settings stay
            patched = realm.patch(SETTINGS, defaultQuota(Map.of("per_day", 40)));
            assertThat(patched.json().get("default_token_quota").toString()).isEqualTo("{\"clients\":" + shape(null, 40, true) + "}");
            assertThat(realm.patch(SETTINGS, Map.of("error_style", "rfc")).json().get("default_token_quota").toString())
                    .as("not named: kept").isEqualTo("{\"clients\":" + shape(null, 40, true) + "}");

            // refused: 400 naming the body field, default unchanged
            JsonNode before = realm.get(SETTINGS).json();
            JsonNode e = assertError(realm.patch(SETTINGS, defaultQuota(Map.of("per_hour", 0))), 400,
                    LIMITS + ".per_hour must be a whole number between 1 and 2147483647");
            assertThat(e.get("field").asText()).isEqualTo(LIMITS + ".per_hour");
            assertError(realm.patch(SETTINGS, defaultQuota(Map.of("enforce", false))), 400,
                    LIMITS + " needs per_hour, per_day or both; send default_token_quota.clients: null to remove the default");
            assertThat(realm.patch(SETTINGS, Map.of("default_token_quota", Map.of("organizations", Map.of()))).json().get("field").asText())
                    .isEqualTo("default_token_quota.organizations.client_credentials");
            assertThat(realm.patch(SETTINGS, Map.of("default_token_quota", Map.of("users", Map.of()))).json().get("field").asText())
                    .isEqualTo("default_token_quota.users");
            assertThat(realm.patch(SETTINGS, Map.of("default_per_hour", 5)).json().get("field").asText()).isEqualTo("default_per_hour");
            assertThat(realm.get(SETTINGS).json()).isEqualTo(before);
        } finally {
            HttpResult removed = realm.patch(SETTINGS, defaultQuota(null));
            assertThat(removed.status()).isEqualTo(200);
            assertThat(removed.json().get("default_token_quota").isNull()).isTrue();
        }
        assertThat(realm.clientCredentials(defaulted, "audience", ORDERS).header("X-RateLimit-Limit")).as("default removed").isEmpty();
        assertThat(realm.get(usage("svc-defaulted")).json().get("quota_source").isNull()).isTrue();
        assertThat(realm.clientCredentials(own, "audience", ORDERS).requireHeader("X-RateLimit-Limit")).isEqualTo("10");
    }

    @Test
    @DisplayName("GET /m2m/token-usage: clients with a quota, with the realm default every service-account client, and every client counted; paged and sorted")
    void usageList() {
        TestRealm r = TestRealm.create(server, master, realm.name() + "-usage");
        extraRealms.add(r);
        M2mRest.createApi(r, M2mRest.api("Orders", ORDERS, "read:orders"));
        Client busy = clientWithGrant(r, "busy");
        Client quiet = clientWithGrant(r, "quiet");
        Client formerly = clientWithGrant(r, "formerly");
        clientWithGrant(r, "no-quota");
        r.createClient(Map.<String, Object>of("clientId", "public-app", "publicClient", true));
        r.createClient(Map.<String, Object>of("clientId", "no-service-account", "publicClient", false, "serviceAccountsEnabled", false));

        assertThat(r.get(USAGE).body()).as("nothing counted, no quota").isEqualTo("[]");
        assertThat(r.put(quota("busy"), body(100, 1000, null)).status()).isEqualTo(201);
        assertThat(r.put(quota("quiet"), body(null, 5, false)).status()).isEqualTo(201);
        assertThat(r.put(quota("formerly"), body(10, null, null)).status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) assertThat(r.clientCredentials(busy, "audience", ORDERS).status()).isEqualTo(200);
        assertThat(r.clientCredentials(formerly).status()).isEqualTo(200);
        assertThat(r.delete(quota("formerly")).status()).isEqualTo(204);
        assertThat(r.clientCredentials(quiet).status()).as("enforce=false: counted, not refused").isEqualTo(200);
        assertThat(r.clientCredentials(quiet).status()).isEqualTo(200);

        JsonNode list = r.get(USAGE).json();
        assertThat(clientIds(list)).as("own quota, or counted this hour (formerly)").containsExactly("busy", "formerly", "quiet");
        assertThat(list.get(0).at("/per_hour/used").asInt()).isEqualTo(3);
        assertThat(list.get(0).at("/per_hour/remaining").asInt()).isEqualTo(97);
        assertThat(list.get(1).get("quota_source").isNull()).isTrue();
        assertThat(list.get(2).get("enforce").asBoolean()).isFalse();
        assertThat(list.get(0)).isEqualTo(r.get(usage("busy")).json());

        assertThat(clientIds(r.get(USAGE + "?sort=per_hour:-1").json())).containsExactly("busy", "quiet", "formerly");
        assertThat(clientIds(r.get(USAGE + "?sort=per_hour:1").json())).containsExactly("formerly", "quiet", "busy");
        assertThat(clientIds(r.get(USAGE + "?sort=per_day:-1").json())).containsExactly("busy", "quiet", "formerly");
        assertThat(clientIds(r.get(USAGE + "?sort=client_id:-1").json())).containsExactly("quiet", "formerly", "busy");
        JsonNode page = r.get(USAGE + "?sort=per_hour:-1&per_page=2&page=1&include_totals=true").json();
        assertThat(M2mRest.fieldNames(page)).containsExactly("start", "limit", "total", "token_usage");
        assertThat(page.get("start").asInt()).isEqualTo(2);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(clientIds(page.get("token_usage"))).containsExactly("formerly");

        assertError(r.get(USAGE + "?sort=used:-1"), 400,
                "sort must be one of: client_id:1, client_id:-1, per_hour:-1, per_hour:1, per_day:-1, per_day:1");
        assertError(r.get(USAGE + "?per_page=101"), 400, "per_page must be a whole number from 1 to 100");
        assertError(r.get(USAGE + "?include_totals=yes"), 400, "include_totals must be true or false");

        assertThat(r.patch(SETTINGS, defaultQuota(Map.of("per_hour", 50))).status()).isEqualTo(200);
        JsonNode withDefault = r.get(USAGE).json();
        assertThat(clientIds(withDefault)).as("the default applies to every client that can use client_credentials")
                .containsExactly("busy", "formerly", "no-quota", "quiet");
        assertThat(withDefault.get(1).get("quota_source").asText()).isEqualTo("realm_default");
        assertThat(withDefault.get(2).get("quota_source").asText()).isEqualTo("realm_default");
        assertThat(withDefault.get(0).get("quota_source").asText()).isEqualTo("client");
        assertThat(r.get(usage("public-app")).json().get("quota_source").isNull())
                .as("a public client cannot use client_credentials: no default applies").isTrue();
    }

    private static List<String> clientIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        for (JsonNode u : list) ids.add(u.get("client_id").asText());
        return ids;
    }

    @Test
    @DisplayName("paths that are not endpoints: 404 in the admin error format; methods an endpoint lacks: 405")
    void unknownEndpoints() {
        realm.createClient("svc-paths");
        for (String path : List.of("/m2m/clients", "/m2m/clients/svc-paths", "/m2m/clients/svc-paths/token-quota/x",
                "/m2m/clients/svc-paths/quota", USAGE + "/svc-paths")) {
            assertError(realm.get(path), 404, "Unknown M2M admin endpoint");
        }
        assertThat(realm.post(quota("svc-paths"), body(1, null, null)).status()).isEqualTo(405);
        assertThat(realm.patch(quota("svc-paths"), body(1, null, null)).status()).isEqualTo(405);
        assertThat(realm.put(usage("svc-paths"), body(1, null, null)).status()).isEqualTo(405);
        assertThat(realm.delete(USAGE).status()).isEqualTo(405);
        assertError(realm.get(quota("svc-paths")), 404, NO_OWN_QUOTA);
    }

    @Test
    @DisplayName("view-realm reads quotas and usage, every write is 403 and changes nothing; no admin role: 403; no token: 401")
    void permissions() {
        realm.createClient("svc-guarded-quota");
        assertThat(realm.put(quota("svc-guarded-quota"), body(7, null, null)).status()).isEqualTo(201);
        AdminClient viewer = AdminUsers.create(realm, "quota-viewer", "view-realm");
        String base = "/admin/realms/" + realm.name();
        assertThat(viewer.get(base + quota("svc-guarded-quota")).body()).isEqualTo(shape(7, null, true));
        assertThat(viewer.get(base + usage("svc-guarded-quota")).status()).isEqualTo(200);
        assertThat(viewer.get(base + USAGE).status()).isEqualTo(200);
        assertThat(viewer.get(base + SETTINGS).status()).isEqualTo(200);

        String before = realm.get(quota("svc-guarded-quota")).body() + realm.get(SETTINGS).body();
        for (HttpResult r : List.of(viewer.put(base + quota("svc-guarded-quota"), body(1, null, null)),
                viewer.put(base + quota("svc-crud-never"), body(1, null, null)),
                viewer.delete(base + quota("svc-guarded-quota")),
                viewer.patch(base + SETTINGS, defaultQuota(Map.of("per_hour", 1))))) {
            assertThat(r.status()).as("%s", r).isEqualTo(403);
            assertThat(r.body()).isEqualTo("{\"error\":\"HTTP 403 Forbidden\"}");
        }
        assertThat(realm.get(quota("svc-guarded-quota")).body() + realm.get(SETTINGS).body()).isEqualTo(before);

        AdminClient plain = AdminUsers.create(realm, "quota-plain");
        assertThat(plain.get(base + quota("svc-guarded-quota")).status()).isEqualTo(403);
        assertThat(plain.get(base + usage("svc-guarded-quota")).status()).isEqualTo(403);
        assertThat(plain.get(base + USAGE).status()).isEqualTo(403);
        assertThat(Http.send("GET", realm.admin().baseUrl() + base + USAGE, Map.of(), null).status()).isEqualTo(401);
        assertThat(Http.send("PUT", realm.admin().baseUrl() + base + quota("svc-guarded-quota"),
                Map.of("Content-Type", "application/json"), "{}").status()).isEqualTo(401);
    }

    @Test
    @DisplayName("quota writes leave admin events M2M_TOKEN_QUOTA (CREATE on PUT 201, UPDATE on PUT 200, DELETE) with the representation")
    void adminEvents() {
        realm.createClient("svc-evented");
        String path = quota("svc-evented");
        JsonNode created = realm.put(path, body(1, null, null)).json();
        assertThat(realm.put(path, body(0, null, null)).status()).as("refused: no event").isEqualTo(400);
        JsonNode updated = realm.put(path, body(2, 20, false)).json();
        assertThat(realm.delete(path).status()).isEqualTo(204);
        JsonNode settings = realm.patch(SETTINGS, defaultQuota(Map.of("per_day", 9))).json();
        realm.patch(SETTINGS, defaultQuota(null));

        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode e : realm.adminEvents("max=100")) {
            if (e.get("resourceType").asText().equals("M2M_TOKEN_QUOTA")
                    && e.get("resourcePath").asText().equals("m2m/clients/svc-evented/token-quota")) {
                ours.add(e);
            }
        }
        List<String> operations = new ArrayList<>();
        for (JsonNode e : ours) operations.add(e.get("operationType").asText());
        assertThat(operations).as("newest first").containsExactly("DELETE", "UPDATE", "CREATE");
        assertThat(representation(ours.get(2)).toString()).isEqualTo(shape(1, null, true));
        assertThat(representation(ours.get(1)).toString()).isEqualTo(shape(2, 20, false));
        assertThat(representation(ours.get(0)).toString()).as("what was deleted").isEqualTo(shape(2, 20, false));
        assertThat(representation(ours.get(2))).as("the REST answer").isEqualTo(created);
        assertThat(representation(ours.get(1))).isEqualTo(updated);

        JsonNode settingsEvent = null;
        for (JsonNode e : realm.adminEvents("max=100")) {
            if (e.get("resourceType").asText().equals("M2M_SETTINGS") && representation(e).equals(settings)) settingsEvent = e;
        }
        assertThat(settings.get("default_token_quota").toString()).as("the PATCH answer the event is looked up by")
                .isEqualTo("{\"clients\":" + shape(null, 9, true) + "}");
        assertThat(settingsEvent).as("settings UPDATE with the default quota").isNotNull();
        assertThat(settingsEvent.get("operationType").asText()).isEqualTo("UPDATE");
    }

    private static JsonNode representation(JsonNode event) {
        try {
            return Http.JSON.readTree(event.get("representation").asText());
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }
}
