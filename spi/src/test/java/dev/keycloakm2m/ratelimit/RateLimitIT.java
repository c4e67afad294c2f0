package dev.keycloakm2m.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 17: rate-limit policies on the token endpoint, against a real Keycloak. No assertion depends on how fast
 * this machine is: bursts are sent concurrently, and every bound on what was served is computed from the time the
 * requests actually took (the server cannot have refilled a bucket for longer than that).
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("rate-limit policies")
class RateLimitIT {

    static final String POLICIES = "/m2m/rate-limit-policies";
    static final String ORDERS = "https://api.example.com/orders";
    static final JsonNode RATE_LIMITED = Http.JSON.createObjectNode().put("error", "too_many_requests")
            .put("error_description", "Rate limit exceeded.");

    TestRealm realm;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
        realm.createApi("Orders", ORDERS, Map.of("read:orders", "Read orders"), null);
    }

    // ---- helpers

    String createPolicy(String selector, String action, int limit, Integer burst) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consumer_selector", selector);
        body.put("action", action);
        body.put("limit", limit);
        if (burst != null) body.put("burst", burst);
        HttpResult r = realm.post(POLICIES, body);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Results of {@code n} requests sent at once, and how long they took from the first send to the last answer. */
    record Burst(List<HttpResult> results, double seconds) {
        long count(int status) {
            return results.stream().filter(r -> r.status() == status).count();
        }

        HttpResult first(int status) {
            return results.stream().filter(r -> r.status() == status).findFirst().orElseThrow(() -> new AssertionError("no " + status + " in " + results));
        }
    }

    static Burst concurrently(int n, Supplier<HttpResult> request) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Callable<HttpResult>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) calls.add(request::get);
            long start = System.nanoTime();
            List<Future<HttpResult>> futures = pool.invokeAll(calls);
            List<HttpResult> results = new ArrayList<>();
            for (Future<HttpResult> f : futures) results.add(f.get());
            return new Burst(results, (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** At most {@code burst} plus what {@code perSecond} refilled during the burst: the bound of a token bucket. */
    static long maxServed(int burst, int perSecond, double seconds) {
        return burst + (long) Math.ceil(perSecond * seconds);
    }

    static void assertRateLimited(HttpResult r) {
        assertThat(r.status()).as("%s", r).isEqualTo(429);
        assertThat(r.json()).isEqualTo(RATE_LIMITED);
        long retryAfter = Long.parseLong(r.requireHeader("Retry-After"));
        assertThat(retryAfter).isGreaterThanOrEqualTo(1);
        assertThat(r.header("Cache-Control")).contains("no-store");
    }

    static void sleepSeconds(long seconds) {
        try {
            Thread.sleep(seconds * 1000 + 200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- admin API

    @Test
    @Order(1)
    @DisplayName("admin API: create, list, get, patch, delete in Auth0's shape; burst follows the limit unless set")
    void crud() {
        realm.createClient("svc-crud");
        String id = createPolicy("client_id:svc-crud", "block", 7, null);
        JsonNode p = realm.get(POLICIES + "/" + id).json();
        assertThat(p.get("consumer_selector").asText()).isEqualTo("client_id:svc-crud");
        assertThat(p.get("resource").asText()).isEqualTo("oauth_authentication_api");
        assertThat(p.get("consumer").asText()).isEqualTo("client");
        assertThat(p.get("action").asText()).isEqualTo("block");
        assertThat(p.get("limit").asInt()).isEqualTo(7);
        assertThat(p.get("burst").asInt()).isEqualTo(7);
        assertThat(realm.get(POLICIES).json().findValuesAsText("id")).contains(id);

        HttpResult patched = realm.patch(POLICIES + "/" + id, Map.of("limit", 9, "action", "log"));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(patched.json().get("burst").asInt()).as("burst follows the limit").isEqualTo(9);
        assertThat(patched.json().get("action").asText()).isEqualTo("log");
        assertThat(realm.patch(POLICIES + "/" + id, Map.of("burst", 20)).json().get("burst").asInt()).isEqualTo(20);
        assertThat(realm.patch(POLICIES + "/" + id, Map.of("limit", 3)).json().get("burst").asInt()).as("an explicit burst stays").isEqualTo(20);

        long events = 0;
        for (JsonNode e : realm.adminEvents("max=100")) {
            if (e.path("resourceType").asText().equals("M2M_RATE_LIMIT_POLICY")) events++;
        }
        assertThat(events).as("admin events: a create and three updates").isGreaterThanOrEqualTo(4);
        assertThat(realm.delete(POLICIES + "/" + id).status()).isEqualTo(204);
        assertThat(realm.get(POLICIES + "/" + id).status()).isEqualTo(404);
        assertThat(realm.delete(POLICIES + "/" + id).status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    @DisplayName("admin API: bad input is a 400 naming the field, and nothing is stored")
    void badInput() {
        realm.createClient("svc-bad");
        String existing = createPolicy("client_id:svc-bad", "block", 5, null);
        JsonNode before = realm.get(POLICIES).json();
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("limit", Map.of("consumer_selector", "default", "limit", -1));
        cases.put("limit ", Map.of("consumer_selector", "default", "limit", 2.5));
        cases.put("limit  ", Map.of("consumer_selector", "default", "limit", "5"));
        cases.put("action", Map.of("consumer_selector", "default", "limit", 5, "action", "allow"));
        cases.put("consumer_selector", Map.of("consumer_selector", "client_id:ghost", "limit", 5));
        cases.put("consumer_selector ", Map.of("consumer_selector", "client_id:svc-bad", "limit", 5));
        cases.put("consumer_selector  ", Map.of("consumer_selector", "third_party_clients", "limit", 5));
        cases.put("burst", Map.of("consumer_selector", "default", "limit", 5, "burst", 0));
        cases.put("color", Map.of("consumer_selector", "default", "limit", 5, "color", "red"));
        cases.forEach((field, body) -> {
            HttpResult r = realm.post(POLICIES, body);
            assertThat(r.status()).as("%s: %s", body, r).isEqualTo(400);
            assertThat(r.json().path("field").asText()).as("%s", r).isEqualTo(field.trim());
        });
        HttpResult patch = realm.patch(POLICIES + "/" + existing, Map.of("limit", -5));
        assertThat(patch.status()).isEqualTo(400);
        assertThat(patch.json().path("field").asText()).isEqualTo("limit");
        assertThat(realm.get(POLICIES).json()).as("nothing stored or changed").isEqualTo(before);
        realm.delete(POLICIES + "/" + existing);
    }

    // ---- enforcement

    @Test
    @Order(3)
    @DisplayName("a client at 5/s gets 429 past its burst (before an API is involved), recovers after Retry-After; another client is unaffected")
    void blockAndRecover() {
        Client fast = realm.createClient("svc-fast");
        Client other = realm.createClient("svc-other");
        createPolicy("client_id:svc-fast", "block", 5, null);

        Burst burst = concurrently(30, () -> realm.clientCredentials(fast));
        assertThat(burst.count(200) + burst.count(429)).as("%s", burst.results()).isEqualTo(30);
        assertThat(burst.count(200)).as("served within %.2f s", burst.seconds()).isLessThanOrEqualTo(maxServed(5, 5, burst.seconds()));
        assertThat(burst.count(200)).isGreaterThanOrEqualTo(5);
        HttpResult refused = burst.first(429);
        assertRateLimited(refused);
        assertThat(refused.requireHeader("RateLimit-Policy")).isEqualTo("\"per_second\";q=5;w=1");
        assertThat(refused.requireHeader("RateLimit")).startsWith("\"per_second\";r=0;t=");

        HttpResult other1 = realm.clientCredentials(other);
        assertThat(other1.status()).as("%s", other1).isEqualTo(200);
        assertThat(other1.header("RateLimit")).as("a client without a policy: no rate-limit headers").isEmpty();

        sleepSeconds(Long.parseLong(refused.requireHeader("Retry-After")));
        HttpResult again = realm.clientCredentials(fast);
        assertThat(again.status()).as("%s", again).isEqualTo(200);
        assertThat(again.requireHeader("RateLimit")).startsWith("\"per_second\";r=");

        JsonNode events = realm.events("type=CLIENT_LOGIN_ERROR&client=svc-fast");
        assertThat(events.size()).isPositive();
        for (JsonNode e : events) {
            assertThat(e.path("error").asText()).isEqualTo("too_many_requests");
            assertThat(e.at("/details/reason").asText()).isEqualTo("rate_limited");
        }
    }

    @Test
    @Order(4)
    @DisplayName("API requests: refused ones do not count against the token quota; headers next to the quota's, in both styles")
    void withApiAndQuota() {
        Client c = realm.createClient("svc-api");
        realm.createGrant("svc-api", ORDERS, List.of("read:orders"), false);
        HttpResult q = realm.put("/m2m/clients/svc-api/token-quota", Map.of("client_credentials", Map.of("per_hour", 1000)));
        assertThat(q.status()).as("%s", q).isIn(200, 201);
        createPolicy("client_id:svc-api", "block", 1, 3);

        HttpResult first = realm.clientCredentials(c, "audience", ORDERS);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.requireHeader("RateLimit-Policy")).isEqualTo("\"per_second\";q=1;w=1, \"per_hour\";q=1000;w=3600");
        assertThat(first.requireHeader("RateLimit")).matches("\"per_second\";r=[0-3];t=1, \"per_hour\";r=\\d+;t=\\d+");

        Burst burst = concurrently(12, () -> realm.clientCredentials(c, "audience", ORDERS));
        assertThat(burst.count(200)).isLessThanOrEqualTo(maxServed(3, 1, burst.seconds()));
        assertRateLimited(burst.first(429));
        assertThat(burst.first(429).header("X-RateLimit-Limit")).as("the quota was not consulted").isEmpty();
        long issued = 1 + burst.count(200);
        JsonNode usage = realm.get("/m2m/clients/svc-api/token-usage").json();
        assertThat(usage.at("/per_hour/used").asLong()).as("%s", usage).isEqualTo(issued);

        realm.putSettings(Map.of("error_style", "auth0"));
        try {
            HttpResult refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                HttpResult r = realm.clientCredentials(c, "audience", ORDERS);
                if (r.status() == 429) refused = r;
                else assertThat(r.requireHeader("Auth0-RateLimit")).matches("client;q=1;t=1;r=[0-3]");
            }
            assertThat(refused).as("20 requests back to back at 1/s").isNotNull();
            assertRateLimited(refused);
            assertThat(refused.requireHeader("Auth0-RateLimit")).isEqualTo("client;q=1;t=1;r=0");
            assertThat(refused.header("RateLimit")).isEmpty();
        } finally {
            realm.putSettings(Map.of("error_style", "rfc"));
        }
    }

    @Test
    @Order(5)
    @DisplayName("log never refuses; the event of a request over the limit says so")
    void logOnly() {
        Client c = realm.createClient("svc-log");
        createPolicy("client_id:svc-log", "log", 1, 1);
        Burst burst = concurrently(10, () -> realm.clientCredentials(c));
        assertThat(burst.count(200)).as("%s", burst.results()).isEqualTo(10);
        assertThat(burst.results()).allSatisfy(r -> assertThat(r.header("RateLimit")).isEmpty());
        if (burst.seconds() < 5) {
            JsonNode events = realm.events("type=CLIENT_LOGIN&client=svc-log");
            assertThat(events.findValuesAsText("rate_limit")).contains("exceeded");
            assertThat(realm.server().logSinceStart()).contains("client svc-log is over its rate limit");
        }
    }

    @Test
    @Order(6)
    @DisplayName("limit 0 blocks the client before its secret is checked")
    void zeroBlocks() {
        Client c = realm.createClient("svc-zero");
        createPolicy("client_id:svc-zero", "block", 0, null);
        assertRateLimited(realm.clientCredentials(c));
        HttpResult wrong = realm.clientCredentials(new Client("svc-zero", "wrong", c.id()));
        assertRateLimited(wrong);
    }

    @Test
    @Order(7)
    @DisplayName("a wrong-secret flood naming a client is limited; the client itself, with its secret, still gets tokens")
    void wrongSecretFlood() throws IOException {
        Client victim = realm.createClient("svc-victim");
        createPolicy("client_id:svc-victim", "block", 1, 2);
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        List<Integer> statuses = new ArrayList<>();
        HttpResult refused = null;
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            HttpResult r = postFrom(attacker, realm.tokenUrl(), Http.formBody(Http.pairs("grant_type", "client_credentials",
                    "client_id", "svc-victim", "client_secret", "guess-" + i)));
            statuses.add(r.status());
            if (r.status() == 429 && refused == null) refused = r;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(statuses).as("%s", statuses).containsOnly(401, 429);
        long failed = statuses.stream().filter(s -> s == 401).count();
        // one more than the bucket allows: a failure is counted when its request ends, possibly just after the answer
        assertThat(failed).as("%s in %.2f s", statuses, seconds).isLessThanOrEqualTo(maxServed(2, 1, seconds) + 1);
        assertThat(refused).as("%s", statuses).isNotNull();
        assertThat(refused.json()).isEqualTo(RATE_LIMITED);
        assertThat(Long.parseLong(refused.requireHeader("Retry-After"))).isGreaterThanOrEqualTo(1);

        HttpResult ok = realm.clientCredentials(victim);
        assertThat(ok.status()).as("the victim, from its own address, during the flood: %s", ok).isEqualTo(200);
        JsonNode events = realm.events("type=CLIENT_LOGIN_ERROR&client=svc-victim");
        assertThat(events.findValuesAsText("rate_limit")).contains("failed_authentication");
    }

    @Test
    @Order(8)
    @DisplayName("the default applies to clients without a policy of their own (a bucket each); a client's own policy wins")
    void defaultPolicy() {
        Client plain1 = realm.createClient("svc-default-1");
        Client plain2 = realm.createClient("svc-default-2");
        Client own = realm.createClient("svc-own");
        createPolicy("client_id:svc-own", "block", 1000, null);
        String def = createPolicy("default", "block", 1, 2);
        try {
            for (Client c : List.of(plain1, plain2)) {
                Burst burst = concurrently(10, () -> realm.clientCredentials(c));
                assertThat(burst.count(200)).as("%s", c.clientId()).isGreaterThanOrEqualTo(2)
                        .isLessThanOrEqualTo(maxServed(2, 1, burst.seconds()));
                assertRateLimited(burst.first(429));
            }
            Burst own10 = concurrently(10, () -> realm.clientCredentials(own));
            assertThat(own10.count(200)).isEqualTo(10);
            assertThat(own10.first(200).requireHeader("RateLimit-Policy")).isEqualTo("\"per_second\";q=1000;w=1");
        } finally {
            realm.delete(POLICIES + "/" + def);
        }
    }

    @Test
    @Order(9)
    @DisplayName("realm import carries policies through the same validator")
    void realmImport() {
        String json = """
                {"realm": "it-ratelimit-import", "enabled": true,
                 "clients": [{"clientId": "svc", "publicClient": false, "secret": "s", "serviceAccountsEnabled": true}],
                 "components": {"org.keycloak.services.ui.extend.UiPageProvider": [
                   {"name": "svc", "providerId": "m2m-rate-limit-policies",
                    "config": {"consumer_selector": ["client_id:svc"], "action": ["block"], "limit": ["4"], "burst": ["8"]}},
                   {"name": "default", "providerId": "m2m-rate-limit-policies",
                    "config": {"consumer_selector": ["default"], "action": ["log"], "limit": ["2"]}}]}}
                """;
        TestRealm imported = TestRealm.importRealm(realm.server(), realm.admin(), json);
        try {
            JsonNode list = imported.get(POLICIES).json();
            assertThat(list.findValuesAsText("consumer_selector")).containsExactly("default", "client_id:svc");
            assertThat(list.get(1).get("burst").asInt()).isEqualTo(8);
            assertThat(list.get(0).get("burst").asInt()).isEqualTo(2);
        } finally {
            imported.close();
        }
        HttpResult bad = realm.admin().post("/admin/realms", json.replace("it-ratelimit-import", "it-ratelimit-bad")
                .replace("[\"4\"]", "[\"-4\"]"));
        assertThat(bad.status()).as("%s", bad).isIn(400, 500);
        assertThat(realm.admin().get("/admin/realms/it-ratelimit-bad").status()).as("nothing stored").isEqualTo(404);
    }

    // ---- a POST from another loopback address (the "attacker"), over a plain socket

    static HttpResult postFrom(InetAddress local, String url, String form) throws IOException {
        URI uri = URI.create(url);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 30_000);
            s.setSoTimeout(120_000);
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String response = all.toString(StandardCharsets.UTF_8);
            int headerEnd = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, headerEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
            String rawBody = response.substring(headerEnd + 4);
            if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Transfer-Encoding"))) rawBody = dechunk(rawBody);
            return new HttpResult(status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), rawBody);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) return out.toString();
            out.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
