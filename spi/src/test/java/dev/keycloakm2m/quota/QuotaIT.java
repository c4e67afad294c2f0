package dev.keycloakm2m.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/** Issue 5: per-client token quotas, counted exactly, reported in headers, 429 when exhausted. */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("token quotas")
class QuotaIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final long HOUR = 3600;
    static final long DAY = 86400;

    TestRealm realm;
    KeycloakServer server;

    @BeforeAll
    void setUp(TestRealm realm, KeycloakServer server) {
        this.realm = realm;
        this.server = server;
        realm.createApi("Orders", ORDERS, Map.of("read:orders", ""), null);
        realm.putSettings(Map.of("error_style", "rfc"));
    }

    /** Seconds before a window's end that an edge test sets the clock to: minutes, so a busy machine cannot cross it. */
    static final long EDGE = 300;

    /**
     * Quota windows are UTC hours (and days, which end on an hour): a test that counts must not straddle one. If
     * less than two minutes are left in this hour, wait for the next one (only when a test starts near the full hour).
     */
    @BeforeEach
    void notNearTheEndOfAnHour() throws InterruptedException {
        long left = HOUR - Math.floorMod(java.time.Instant.now().getEpochSecond(), HOUR);
        if (left < 120) Thread.sleep((left + 2) * 1000);
    }

    @AfterEach
    void resetClock() {
        setClockOffset(0);
        currentOffset = 0;
    }

    // ---- helpers

    Client quotaClient(String clientId, Object perHour, Object perDay, Boolean enforce) {
        Client c = realm.createClient(clientId);
        realm.createGrant(clientId, ORDERS, List.of("read:orders"), false);
        if (perHour != null || perDay != null) setQuota(clientId, perHour, perDay, enforce);
        return c;
    }

    void setQuota(String clientId, Object perHour, Object perDay, Boolean enforce) {
        Map<String, Object> limits = new LinkedHashMap<>();
        if (perHour != null) limits.put("per_hour", Long.valueOf(String.valueOf(perHour)));
        if (perDay != null) limits.put("per_day", Long.valueOf(String.valueOf(perDay)));
        if (enforce != null) limits.put("enforce", enforce);
        HttpResult r = realm.put(quotaPath(clientId), Map.of("client_credentials", limits));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    static String quotaPath(String clientId) {
        return "/m2m/clients/" + java.net.URLEncoder.encode(clientId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "/token-quota";
    }

    String testing(String method, String path) {
        HttpResult r = Http.send(method, server.baseUrl() + "/realms/master/m2m-testing/" + path, Map.of(), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body().trim();
    }

    long serverNow() {
        return Long.parseLong(testing("GET", "time"));
    }

    void setClockOffset(long seconds) {
        testing("PUT", "time-offset?seconds=" + seconds);
    }

    /** Moves Keycloak's clock so that it reads {@code epochSecond} now. */
    void setClock(long epochSecond) {
        long real = serverNow() - currentOffset;
        currentOffset = epochSecond - real;
        setClockOffset(currentOffset);
    }

    long currentOffset;

    static long header(HttpResult r, String name) {
        return Long.parseLong(r.requireHeader(name));
    }

    static void tooManyRequests(HttpResult r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.json()).isEqualTo(Http.JSON.createObjectNode().put("error", "too_many_requests")
                .put("error_description", "Client quota exceeded"));
        assertThat(r.header("X-RateLimit-Remaining")).hasValue("0");
    }

    // ---- tests

    @Test
    @DisplayName("quota 50 per hour, 400 requests at concurrency 32, with and without audience: exactly 50 tokens")
    void exactUnderConcurrency() throws Exception {
        Client c = quotaClient("busy", 50, null, null);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                boolean api = i % 2 == 0;
                results.add(pool.submit(() -> (api ? realm.clientCredentials(c, "audience", ORDERS) : realm.clientCredentials(c)).status()));
            }
            int ok = 0;
            int limited = 0;
            for (Future<Integer> f : results) {
                int status = f.get();
                if (status == 200) ok++;
                else if (status == 429) limited++;
                else throw new AssertionError("unexpected status " + status);
            }
            assertThat(ok).isEqualTo(50);
            assertThat(limited).isEqualTo(350);
        } finally {
            pool.shutdownNow();
        }
        HttpResult after = realm.clientCredentials(c, "audience", ORDERS);
        tooManyRequests(after);
        assertThat(after.requireHeader("RateLimit")).startsWith("\"per_hour\";r=0;t=");
        JsonNode usage = realm.get("/m2m/clients/busy/token-usage").json();
        assertThat(usage.at("/per_hour/quota").asInt()).isEqualTo(50);
        assertThat(usage.at("/per_hour/used").asInt()).as("the usage endpoint").isEqualTo(50);
        assertThat(usage.at("/per_hour/remaining").asInt()).isZero();
    }

    @Test
    @DisplayName("rfc style: X-RateLimit-* for the tightest bucket and the IETF RateLimit-Policy/RateLimit fields, on 200 and 429")
    void rfcHeaders() {
        realm.putSettings(Map.of("error_style", "rfc"));
        Client c = quotaClient("rfc-headers", 3, 5, null);
        long before = serverNow();
        HttpResult first = realm.clientCredentials(c, "audience", ORDERS);
        long after = serverNow();
        assertThat(first.status()).isEqualTo(200);
        long hourEnd = before - Math.floorMod(before, HOUR) + HOUR;
        long dayEnd = before - Math.floorMod(before, DAY) + DAY;
        assertThat(header(first, "X-RateLimit-Limit")).isEqualTo(3);
        assertThat(header(first, "X-RateLimit-Remaining")).isEqualTo(2);
        assertThat(header(first, "X-RateLimit-Reset")).isEqualTo(hourEnd);
        assertThat(first.requireHeader("RateLimit-Policy")).isEqualTo("\"per_hour\";q=3;w=3600, \"per_day\";q=5;w=86400");
        String rateLimit = first.requireHeader("RateLimit");
        assertThat(rateLimit).matches("\"per_hour\";r=2;t=\\d+, \"per_day\";r=4;t=\\d+");
        long tHour = Long.parseLong(rateLimit.replaceAll(".*per_hour\";r=2;t=(\\d+),.*", "$1"));
        long tDay = Long.parseLong(rateLimit.replaceAll(".*per_day\";r=4;t=(\\d+)", "$1"));
        assertThat(tHour).isBetween(hourEnd - after, hourEnd - before);
        assertThat(tDay).isBetween(dayEnd - after, dayEnd - before);
        assertThat(first.header("Auth0-Client-Quota-Limit")).isEmpty();

        realm.clientCredentials(c, "audience", ORDERS);
        realm.clientCredentials(c);
        HttpResult refused = realm.clientCredentials(c, "audience", ORDERS);
        tooManyRequests(refused);
        assertThat(header(refused, "X-RateLimit-Limit")).isEqualTo(3);
        assertThat(header(refused, "X-RateLimit-Reset")).isEqualTo(hourEnd);
        assertThat(header(refused, "Retry-After")).isBetween(1L, hourEnd - before);
        assertThat(refused.requireHeader("RateLimit")).matches("\"per_hour\";r=0;t=\\d+, \"per_day\";r=2;t=\\d+");
    }

    @Test
    @DisplayName("auth0 style: Auth0-Client-Quota-Limit in Auth0's exact format, on 200 and 429")
    void auth0Headers() {
        realm.putSettings(Map.of("error_style", "auth0"));
        try {
            Client c = quotaClient("auth0-headers", 10, 2, null);
            long before = serverNow();
            HttpResult first = realm.clientCredentials(c, "audience", ORDERS);
            long after = serverNow();
            long hourEnd = before - Math.floorMod(before, HOUR) + HOUR;
            long dayEnd = before - Math.floorMod(before, DAY) + DAY;
            String quota = first.requireHeader("Auth0-Client-Quota-Limit");
            assertThat(quota).matches("b=per_hour;q=10;r=9;t=\\d+,b=per_day;q=2;r=1;t=\\d+");
            assertThat(Long.parseLong(quota.replaceAll("b=per_hour;q=10;r=9;t=(\\d+),.*", "$1"))).isBetween(hourEnd - after, hourEnd - before);
            assertThat(Long.parseLong(quota.replaceAll(".*b=per_day;q=2;r=1;t=(\\d+)", "$1"))).isBetween(dayEnd - after, dayEnd - before);
            assertThat(header(first, "X-RateLimit-Limit")).as("tightest bucket: per_day").isEqualTo(2);
            assertThat(header(first, "X-RateLimit-Remaining")).isEqualTo(1);
            assertThat(header(first, "X-RateLimit-Reset")).isEqualTo(dayEnd);
            assertThat(first.header("RateLimit-Policy")).isEmpty();

            assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
            HttpResult refused = realm.clientCredentials(c, "audience", ORDERS);
            tooManyRequests(refused);
            assertThat(header(refused, "X-RateLimit-Limit")).isEqualTo(2);
            assertThat(header(refused, "X-RateLimit-Reset")).isEqualTo(dayEnd);
            assertThat(refused.requireHeader("Auth0-Client-Quota-Limit")).matches("b=per_hour;q=10;r=8;t=\\d+,b=per_day;q=2;r=0;t=\\d+");
        } finally {
            realm.putSettings(Map.of("error_style", "rfc"));
        }
    }

    @Test
    @DisplayName("Retry-After at the edge of the hour window, with the server's clock moved (no waiting)")
    void hourEdge() {
        Client c = quotaClient("hour-edge", 1, null, null);
        long now = serverNow();
        long boundary = now - Math.floorMod(now, HOUR) + 2 * HOUR;
        setClock(boundary - EDGE); // far enough from the boundary for a slow machine to send two requests before it
        assertThat(realm.clientCredentials(c, "audience", ORDERS).status()).isEqualTo(200);
        long before = serverNow();
        HttpResult refused = realm.clientCredentials(c, "audience", ORDERS);
        long after = serverNow();
        tooManyRequests(refused);
        assertThat(header(refused, "X-RateLimit-Reset")).isEqualTo(boundary);
        assertThat(header(refused, "Retry-After")).isBetween(Math.max(1, boundary - after), boundary - before);

        setClock(boundary + 1);
        HttpResult next = realm.clientCredentials(c, "audience", ORDERS);
        assertThat(next.status()).as("a new hour, a new window").isEqualTo(200);
        assertThat(header(next, "X-RateLimit-Reset")).isEqualTo(boundary + HOUR);
        assertThat(header(next, "X-RateLimit-Remaining")).isEqualTo(0);
    }

    @Test
    @DisplayName("Retry-After at the edge of the UTC day window")
    void dayEdge() {
        Client c = quotaClient("day-edge", null, 1, null);
        long now = serverNow();
        long midnight = now - Math.floorMod(now, DAY) + 2 * DAY;
        setClock(midnight - EDGE);
        assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
        long before = serverNow();
        HttpResult refused = realm.clientCredentials(c);
        long after = serverNow();
        tooManyRequests(refused);
        assertThat(header(refused, "X-RateLimit-Reset")).isEqualTo(midnight);
        assertThat(header(refused, "Retry-After")).isBetween(Math.max(1, midnight - after), midnight - before);
        setClock(midnight);
        assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a client's own quota wins over the realm default; without either nothing applies")
    void precedence() {
        Client own = quotaClient("own-quota", 10, null, null);
        Client defaulted = quotaClient("default-quota", null, null, null);
        realm.putSettings(Map.of("error_style", "rfc", "default_per_hour", "4"));
        try {
            assertThat(header(realm.clientCredentials(own, "audience", ORDERS), "X-RateLimit-Limit")).isEqualTo(10);
            assertThat(header(realm.clientCredentials(defaulted, "audience", ORDERS), "X-RateLimit-Limit")).isEqualTo(4);
        } finally {
            realm.putSettings(Map.of("error_style", "rfc"));
        }
        assertThat(realm.clientCredentials(defaulted, "audience", ORDERS).header("X-RateLimit-Limit")).isEmpty();
        assertThat(header(realm.clientCredentials(own, "audience", ORDERS), "X-RateLimit-Limit")).isEqualTo(10);
    }

    @Test
    @DisplayName("enforce=false: tokens keep coming, the headers say the quota is used up")
    void notEnforced() {
        Client c = quotaClient("soft", 2, null, false);
        for (int i = 1; i <= 4; i++) {
            HttpResult r = realm.clientCredentials(c, "audience", ORDERS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(header(r, "X-RateLimit-Remaining")).isEqualTo(Math.max(0, 2 - i));
        }
    }

    @Test
    @DisplayName("a client without a quota gets no quota header and causes no database write")
    void noQuota() {
        Client c = quotaClient("free", null, null, null);
        HttpResult r = realm.clientCredentials(c, "audience", ORDERS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().contains("ratelimit") || h.toLowerCase().contains("quota"));
        assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
        assertThat(testing("GET", "counter-rows?client=" + c.id())).isEqualTo("0");
    }

    @Test
    @DisplayName("refused requests do not count; a 429 is a CLIENT_LOGIN_ERROR with reason quota_exceeded")
    void refusedDoNotCount() {
        Client c = quotaClient("careful", 2, null, null);
        for (int i = 0; i < 3; i++) {
            assertThat(realm.clientCredentials(c, "audience", "https://unknown").status()).isEqualTo(400);
            assertThat(realm.clientCredentials(c, "audience", ORDERS, "scope", "write:orders").status()).isEqualTo(400);
        }
        assertThat(realm.clientCredentials(c, "audience", ORDERS).status()).isEqualTo(200);
        assertThat(realm.clientCredentials(c).status()).isEqualTo(200);
        tooManyRequests(realm.clientCredentials(c));
        JsonNode e = realm.events("type=CLIENT_LOGIN_ERROR&client=careful&max=1").get(0);
        assertThat(e.get("error").asText()).isEqualTo("too_many_requests");
        assertThat(e.at("/details/reason").asText()).isEqualTo("quota_exceeded");
    }

    @Test
    @DisplayName("quota validation: limits 1-2147483647, at least one, known client; nothing stored when refused")
    void validation() {
        realm.createClient("validated");
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("per_hour", 0), Map.of("per_day", 2147483648L), Map.of(),
                Map.of("per_hour", "x"))) {
            HttpResult r = realm.put(quotaPath("validated"), Map.of("client_credentials", bad));
            assertThat(r.status()).as(bad + " -> " + r).isEqualTo(400);
        }
        assertThat(realm.get(quotaPath("validated")).status()).isEqualTo(404);
        assertThat(realm.put(quotaPath("ghost"), Map.of("client_credentials", Map.of("per_hour", 1))).status()).isEqualTo(404);
        setQuota("validated", 1, null, true);
        assertThat(realm.get(quotaPath("validated")).json().at("/client_credentials/per_hour").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("counters live in the database: they survive a server restart")
    void survivesRestart() {
        Client c = quotaClient("durable", 5, null, null);
        realm.clientCredentials(c, "audience", ORDERS);
        assertThat(header(realm.clientCredentials(c, "audience", ORDERS), "X-RateLimit-Remaining")).isEqualTo(3);
        server.restart();
        assertThat(header(realm.clientCredentials(c, "audience", ORDERS), "X-RateLimit-Remaining")).isEqualTo(2);
    }
}
