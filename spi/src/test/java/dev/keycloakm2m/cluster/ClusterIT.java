package dev.keycloakm2m.cluster;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.GRANTS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static dev.keycloakm2m.admin.M2mRest.createGrant;
import static dev.keycloakm2m.admin.M2mRest.enc;
import static dev.keycloakm2m.admin.M2mRest.grant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.cluster.Load.Outcome;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakCluster;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.PostgresServer;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 9: two Keycloak nodes in production mode on one PostgreSQL, clustered with Keycloak's default stack
 * (ispn, JDBC_PING). Quotas are exact across nodes, admin changes on one node are seen by the other on the next
 * request, and neither a crashed node nor a restarted database issues a token that was not counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("cluster: two Keycloak nodes on PostgreSQL")
class ClusterIT {

    static final String REALM = "it-cluster";
    static final String ORDERS = "https://api.example.com/orders";
    static final int CONCURRENCY = 32;
    /** Requests node 2 must have answered for each client after node 1 was killed. */
    static final int AFTER_KILL = 40;

    KeycloakCluster cluster;
    /** The same realm seen through node 1 and node 2 (index 1 and 2). */
    final TestRealm[] realm = new TestRealm[3];

    @BeforeAll
    void startCluster() {
        cluster = KeycloakCluster.start("cluster", List.of(KeycloakExtension.jar()));
        try {
            realm[1] = TestRealm.create(cluster.node(1), cluster.admin(1), REALM);
            realm[2] = TestRealm.existing(cluster.node(2), cluster.admin(2), REALM);
            createApi(realm[1], api("Orders", ORDERS, "read:orders", "write:orders"));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) cluster.close();
    }

    /**
     * Every test starts with the database up and both nodes in one view, whatever an earlier test left behind (a
     * failed crash test must not take the tests after it down with it).
     */
    @BeforeEach
    void databaseAndBothNodesUp() {
        if (!cluster.db().isRunning()) cluster.db().startAgain();
        boolean restarted = false;
        for (int n = 1; n <= 2; n++) {
            if (!cluster.node(n).isRunning()) {
                cluster.node(n).startAgain();
                restarted = true;
            }
        }
        if (restarted) {
            cluster.awaitView(cluster.node(1), 2);
            cluster.awaitView(cluster.node(2), 2);
        }
    }

    // ---- helpers

    /** A client with a grant for ORDERS (read:orders), created on node 1, with a per-hour quota unless null. */
    Client client(String clientId, Integer perHour) {
        Client c = realm[1].createClient(clientId);
        createGrant(realm[1], grant(clientId, ORDERS, "read:orders"));
        if (perHour != null) {
            Map<String, Object> limits = new LinkedHashMap<>();
            limits.put("per_hour", perHour);
            limits.put("enforce", true);
            HttpResult r = realm[1].put("/m2m/clients/" + Http.enc(clientId) + "/token-quota", Map.of("client_credentials", limits));
            assertThat(r.status()).as("quota: %s", r).isIn(200, 201);
        }
        return c;
    }

    /** Request i: a token for ORDERS from node 1 or 2 (alternating), for the clients in turn every second request. */
    IntFunction<Load.Request> alternating(Client... clients) {
        return i -> {
            int node = 1 + i % 2;
            Client c = clients[(i / 2) % clients.length];
            return new Load.Request(node, c.clientId(), () -> token(node, c, ORDERS));
        };
    }

    /** {@code total} requests at concurrency 32, {@link #alternating} over the nodes and clients; all outcomes. */
    List<Outcome> requests(int total, Client... clients) {
        try (Load load = Load.start(CONCURRENCY, total, alternating(clients))) {
            return load.finish();
        }
    }

    HttpResult token(int node, Client c, String audience) {
        return realm[node].clientCredentials(c, "audience", audience);
    }

    /** The stored count of the client's current hour, read from PostgreSQL itself. */
    long hourCounter(Client c) {
        String v = cluster.db().sql("SELECT hour_used FROM m2m_token_counter WHERE client_id = '" + c.id() + "'");
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    /** The client's per-hour usage as node {@code node} reports it through the admin REST usage endpoint. */
    long usageSeenBy(int node, Client c) {
        HttpResult r = realm[node].get("/m2m/clients/" + Http.enc(c.clientId()) + "/token-usage");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json().at("/per_hour/used").asLong();
    }

    /**
     * Quota windows are UTC hours: a test that counts must not straddle one. If fewer than {@code needed} remain
     * in this hour, wait for the next (a few minutes at most, only when the suite starts near the full hour).
     */
    static void notNearHourEnd(Duration needed) {
        long now = Instant.now().getEpochSecond();
        long left = 3600 - Math.floorMod(now, 3600);
        if (left < needed.toSeconds()) {
            Load.sleep((left + 2) * 1000);
        }
    }

    static Jwt verifiedToken(HttpResult r, TestRealm verifier) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return Jwt.verified(r.json().get("access_token").asText(), verifier.jwksUrl());
    }

    static void notAuthorized(HttpResult r, String clientId, String audience) {
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json()).isEqualTo(error("invalid_target", "Client \"" + clientId + "\" is not authorized to access \"" + audience + "\""));
    }

    static JsonNode error(String error, String description) {
        return Http.JSON.createObjectNode().put("error", error).put("error_description", description);
    }

    static final JsonNode QUOTA_UNAVAILABLE = error("temporarily_unavailable", "Token quotas cannot be checked right now; try again later");
    static final JsonNode KEYCLOAK_SERVER_ERROR = error("unknown_error", "For more on this error consult the server log.");

    /**
     * What Keycloak itself answers when the database fails under a token request, with or without this extension:
     * its OAuth error {@code unknown_error} (e.g. its client-session lookup failed), or, when the commit of the
     * request's transaction fails in its response filter, Quarkus' generic error JSON with an error id and an empty
     * stack. Never a stack trace.
     */
    static void assertKeycloakServerError(HttpResult r) {
        JsonNode body = r.json();
        if (body.has("error")) {
            assertThat(body).as("%s", r).isEqualTo(KEYCLOAK_SERVER_ERROR);
        } else {
            assertThat(body.path("details").asText()).as("%s", r).matches("Error id [0-9a-f-]+");
            assertThat(body.path("stack").asText()).as("%s", r).isEmpty();
            assertThat(body.size()).as("%s", r).isEqualTo(2);
        }
    }

    /** "phase client status" → count, for the test output. */
    static Map<String, Long> summary(List<Outcome> outcomes) {
        return outcomes.stream().collect(java.util.stream.Collectors.groupingBy(
                o -> o.phase() + " " + o.client() + " " + (o.response() == null ? "no-response" : String.valueOf(o.status())),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    // ---- tests

    @Test
    @Order(1)
    @DisplayName("both nodes run the jdbc-ping stack and see one cluster view of 2 members")
    void oneCluster() {
        KeycloakCluster.View v1 = KeycloakCluster.latestView(cluster.node(1)).orElseThrow();
        KeycloakCluster.View v2 = KeycloakCluster.latestView(cluster.node(2)).orElseThrow();
        assertThat(v1.size()).isEqualTo(2);
        assertThat(v2).isEqualTo(v1);
        assertThat(v1.members()).anyMatch(m -> m.startsWith("node1")).anyMatch(m -> m.startsWith("node2"));
        for (int n = 1; n <= 2; n++) {
            assertThat(cluster.node(n).logSinceStart()).as("node %d log", n).contains("with stack `jdbc-ping`");
        }
    }

    @Test
    @Order(2)
    @DisplayName("a new client's first requests, 32 at once on both nodes: every one is counted and gets a token while its counter row is being created")
    void firstRequestsOfANewClient() {
        Client c = client("svc-first-burst", 1000);
        notNearHourEnd(Duration.ofMinutes(2));
        List<Outcome> outcomes = requests(CONCURRENCY, c);
        assertThat(outcomes).hasSize(CONCURRENCY).allMatch(Outcome::ok);
        assertThat(hourCounter(c)).isEqualTo(CONCURRENCY);
    }

    @Test
    @Order(3)
    @DisplayName("quota 50 per hour, 400 requests alternating between the nodes at concurrency 32: exactly 50 tokens, and both nodes report 50 used")
    void exactQuotaAcrossNodes() {
        Client c = client("svc-quota-50", 50);
        notNearHourEnd(Duration.ofMinutes(2));
        List<Outcome> outcomes = requests(400, c);
        assertThat(outcomes).hasSize(400);
        assertThat(outcomes).as("every request answered with a token or a 429").allMatch(o -> o.status() == 200 || o.status() == 429);
        long ok = outcomes.stream().filter(Outcome::ok).count();
        assertThat(ok).isEqualTo(50);
        assertThat(outcomes.stream().filter(o -> o.status() == 429).count()).isEqualTo(350);
        for (int n = 1; n <= 2; n++) {
            int node = n;
            assertThat(outcomes.stream().filter(o -> o.node() == node && o.ok()).count()).as("tokens from node %d", n).isPositive();
            for (Outcome refused : outcomes.stream().filter(o -> o.node() == node && o.status() == 429).limit(3).toList()) {
                assertThat(refused.response().json()).isEqualTo(error("too_many_requests", "Client quota exceeded"));
            }
        }
        assertThat(usageSeenBy(1, c)).as("usage reported by node 1").isEqualTo(50);
        assertThat(usageSeenBy(2, c)).as("usage reported by node 2").isEqualTo(50);
        assertThat(hourCounter(c)).as("counter row in PostgreSQL").isEqualTo(50);
    }

    @Test
    @Order(4)
    @DisplayName("a grant created on node 1 works on node 2 at once; its scopes PATCHed on node 2 show in node 1's next token; deleted on node 1, node 2 refuses the next request")
    void grantChangesReachTheOtherNode() {
        String inventory = "https://api.example.com/inventory";
        createApi(realm[1], api("Inventory", inventory, "read", "write"));
        Client c = realm[1].createClient("svc-grant-across");
        // both nodes have built their index for the current revision: a stale one would refuse below
        notAuthorized(token(1, c, inventory), c.clientId(), inventory);
        notAuthorized(token(2, c, inventory), c.clientId(), inventory);

        String grantId = createGrant(realm[1], grant(c.clientId(), inventory, "read")).get("id").asText();
        Jwt first = verifiedToken(token(2, c, inventory), realm[1]);
        assertThat(first.string("scope")).isEqualTo("read");
        assertThat(first.claim("aud")).isIn(inventory, List.of(inventory));
        assertThat(verifiedToken(token(1, c, inventory), realm[2]).string("scope")).isEqualTo("read");

        HttpResult patched = realm[2].patch(GRANTS + "/" + grantId, Map.of("scope", List.of("read", "write")));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(verifiedToken(token(1, c, inventory), realm[1]).string("scope")).isEqualTo("read write");
        assertThat(verifiedToken(token(2, c, inventory), realm[2]).string("scope")).isEqualTo("read write");
        assertThat(realm[1].get(GRANTS + "/" + grantId).json().get("scope")).isEqualTo(Http.JSON.valueToTree(List.of("read", "write")));

        assertThat(realm[1].delete(GRANTS + "/" + grantId).status()).isEqualTo(204);
        notAuthorized(token(2, c, inventory), c.clientId(), inventory);
        notAuthorized(token(1, c, inventory), c.clientId(), inventory);
        assertThat(realm[2].get(GRANTS + "/" + grantId).status()).isEqualTo(404);
    }

    @Test
    @Order(5)
    @DisplayName("the same grant created 20 times at once, alternating between the nodes: one 201, nineteen 409, one grant (the database decides)")
    void concurrentGrantOnBothNodes() throws Exception {
        String identifier = "https://api.example.com/race";
        createApi(realm[1], api("Race", identifier, "read"));
        Client c = realm[1].createClient("svc-race");
        Map<String, Object> body = Map.of("client_id", c.clientId(), "audience", identifier, "scope", List.of("read"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int node = 1 + i % 2;
                results.add(pool.submit(() -> {
                    start.await();
                    return realm[node].post(GRANTS, body).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var f : results) statuses.add(f.get());
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(19);
        } finally {
            pool.shutdownNow();
        }
        assertThat(realm[2].get(GRANTS + "?client_id=svc-race").json()).hasSize(1);
        assertThat(token(2, c, identifier).status()).isEqualTo(200);
        assertThat(token(1, c, identifier).status()).isEqualTo(200);
    }

    @Test
    @Order(5)
    @DisplayName("a client renamed on node 1: node 2 serves its grant under the new Client ID on the next request")
    void clientRenamedOnOneNode() {
        String identifier = "https://api.example.com/renamed";
        createApi(realm[1], api("Renamed", identifier, "read"));
        Client c = realm[1].createClient("svc-rename-old");
        createGrant(realm[1], grant(c.clientId(), identifier, "read"));
        assertThat(token(2, c, identifier).status()).isEqualTo(200);

        com.fasterxml.jackson.databind.node.ObjectNode rep = (com.fasterxml.jackson.databind.node.ObjectNode) realm[1].get("/clients/" + c.id()).json();
        rep.put("clientId", "svc-rename-new");
        assertThat(realm[1].put("/clients/" + c.id(), rep).status()).isEqualTo(204);
        Client renamed = new Client("svc-rename-new", c.secret(), c.id());
        HttpResult r = token(2, renamed, identifier);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("read");
        assertThat(realm[2].get(GRANTS + "?client_id=svc-rename-new").json()).hasSize(1);
    }

    @Test
    @Order(5)
    @DisplayName("an API deleted on one node is unknown on the other on the next request (both directions)")
    void apiDeletedOnOneNodeIsUnknownOnTheOther() {
        for (int[] nodes : new int[][] {{1, 2}, {2, 1}}) {
            int writer = nodes[0];
            int other = nodes[1];
            String identifier = "https://api.example.com/deleted-on-node" + writer;
            String clientId = "svc-api-deleted-" + writer;
            Client c = realm[writer].createClient(clientId);
            createApi(realm[writer], api("Deleted on node " + writer, identifier, "read"));
            createGrant(realm[writer], grant(clientId, identifier, "read"));
            assertThat(token(other, c, identifier).status()).isEqualTo(200);
            assertThat(token(writer, c, identifier).status()).isEqualTo(200);

            assertThat(realm[writer].delete(APIS + "/" + enc(identifier)).status()).isEqualTo(204);
            HttpResult refused = token(other, c, identifier);
            assertThat(refused.status()).as("%s", refused).isEqualTo(400);
            assertThat(refused.json()).isEqualTo(error("invalid_target", "Unknown API: " + identifier));
            assertThat(realm[other].get(APIS + "/" + enc(identifier)).status()).isEqualTo(404);
            assertThat(realm[other].get(GRANTS + "?audience=" + enc(identifier)).json()).isEmpty();
        }
    }

    @Test
    @Order(5)
    @DisplayName("changes applied row by row reach the other node before the write returns: an API's scope removed on node 1"
            + " is gone from node 2's next token; a quota set on node 2 holds on node 1; the default audience set on node 1"
            + " shapes node 2's next request that names no API")
    void apiQuotaAndSettingsChangesReachTheOtherNode() {
        String identifier = "https://api.example.com/patched";
        createApi(realm[1], api("Patched", identifier, "read", "write"));
        Client c = realm[1].createClient("svc-api-patched");
        createGrant(realm[1], grant(c.clientId(), identifier, "read", "write"));
        assertThat(verifiedToken(token(2, c, identifier), realm[2]).string("scope")).isEqualTo("read write");
        assertThat(verifiedToken(token(1, c, identifier), realm[1]).string("scope")).isEqualTo("read write");

        HttpResult patched = realm[1].patch(APIS + "/" + enc(identifier), Map.of("scopes", List.of(Map.of("value", "read"))));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(verifiedToken(token(2, c, identifier), realm[2]).string("scope")).isEqualTo("read");
        assertThat(realm[2].get(GRANTS + "?client_id=svc-api-patched").json().get(0).get("scope"))
                .isEqualTo(Http.JSON.valueToTree(List.of("read")));

        notNearHourEnd(Duration.ofMinutes(3));
        Client q = realm[1].createClient("svc-quota-across");
        createGrant(realm[1], grant(q.clientId(), identifier, "read"));
        HttpResult set = realm[2].put("/m2m/clients/" + Http.enc(q.clientId()) + "/token-quota",
                Map.of("client_credentials", Map.of("per_hour", 1, "enforce", true)));
        assertThat(set.status()).as("%s", set).isIn(200, 201);
        HttpResult first = token(1, q, identifier);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        HttpResult second = token(1, q, identifier);
        assertThat(second.status()).as("node 1 enforces the quota node 2 set: %s", second).isEqualTo(429);

        HttpResult settings = realm[1].patch("/m2m/settings", Map.of("default_audience", identifier));
        assertThat(settings.status()).as("%s", settings).isEqualTo(200);
        try {
            Jwt shaped = verifiedToken(realm[2].clientCredentials(c), realm[2]);
            assertThat(shaped.claim("aud")).isIn(identifier, List.of(identifier));
            assertThat(shaped.string("scope")).isEqualTo("read");
        } finally {
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("default_audience", null);
            assertThat(realm[1].patch("/m2m/settings", none).status()).isEqualTo(200);
        }
        Jwt plain = verifiedToken(realm[2].clientCredentials(c), realm[2]);
        assertThat(plain.claim("aud")).isNotIn(identifier, List.of(identifier));
    }

    @Test
    @Order(6)
    @DisplayName("the database refuses writes: a token whose login event cannot be committed is given back, a failed count answers 503 even when the error event cannot be stored, and counting is exact again once writes work")
    void databaseRefusesWrites() {
        Client c = client("svc-refused-writes", 1000);
        notNearHourEnd(Duration.ofMinutes(2));
        assertThat(token(1, c, ORDERS).status()).isEqualTo(200);
        assertThat(hourCounter(c)).isEqualTo(1);
        String user = PostgresServer.USER;
        try {
            // Keycloak stores the CLIENT_LOGIN event when the request's transaction commits: after the token was counted
            cluster.db().sql("REVOKE INSERT ON event_entity FROM " + user);
            for (int n = 1; n <= 2; n++) {
                HttpResult r = token(n, c, ORDERS);
                assertThat(r.status()).as("%s", r).isEqualTo(500);
                assertThat(r.json()).isEqualTo(KEYCLOAK_SERVER_ERROR);
            }
            assertThat(hourCounter(c)).as("tokens that never reached the client are given back").isEqualTo(1);

            // now the count itself fails too, and so does storing the error event
            cluster.db().sql("REVOKE UPDATE ON m2m_token_counter FROM " + user);
            for (int n = 1; n <= 2; n++) {
                HttpResult r = token(n, c, ORDERS);
                assertThat(r.status()).as("%s", r).isEqualTo(503);
                assertThat(r.json()).isEqualTo(QUOTA_UNAVAILABLE);
            }
            assertThat(hourCounter(c)).isEqualTo(1);
        } finally {
            cluster.db().sql("GRANT INSERT ON event_entity TO " + user + "; GRANT UPDATE ON m2m_token_counter TO " + user);
        }
        HttpResult back = token(2, c, ORDERS);
        assertThat(back.status()).as("%s", back).isEqualTo(200);
        assertThat(back.requireHeader("X-RateLimit-Remaining")).isEqualTo("998");
        assertThat(hourCounter(c)).isEqualTo(2);
    }

    @Test
    @Order(7)
    @DisplayName("node 1 SIGKILLed mid-load: node 2 keeps issuing, no token is issued uncounted or over quota, and the restarted node rejoins with the same counts")
    void nodeKilledMidLoad() {
        int cappedQuota = 150;
        int bigQuota = 100_000;
        Client capped = client("svc-kill-capped", cappedQuota);
        Client counted = client("svc-kill-counted", bigQuota);
        notNearHourEnd(Duration.ofMinutes(5));
        KeycloakServer node1 = cluster.node(1);
        List<Outcome> outcomes;
        // Load until stopped, not a fixed number of requests: however fast or slow the machine, requests keep coming
        // until the kill has taken effect and node 2 has answered enough of them after it.
        try (Load load = Load.start(CONCURRENCY, Integer.MAX_VALUE, alternating(capped, counted))) {
            load.awaitCompleted(120, Load.CEILING_SECONDS);
            load.phase("killing");
            node1.kill(); // returns once node 1's processes are gone
            load.phase("after-kill");
            for (Client c : List.of(capped, counted)) {
                load.awaitOutcomes(o -> o.phase().equals("after-kill") && o.node() == 2 && o.client().equals(c.clientId())
                        && o.response() != null, AFTER_KILL, Load.CEILING_SECONDS);
            }
            // and the capped client's quota is used up (by then, or by the requests that follow)
            load.awaitOutcomes(o -> o.client().equals(capped.clientId()) && o.node() == 2 && o.status() == 429, 1, Load.CEILING_SECONDS);
            load.stop();
            outcomes = load.outcomes();
        }
        System.out.println("node kill, outcomes by phase, client and status: " + summary(outcomes));
        assertThat(outcomes).as("node 2 answers every request with a token or a 429")
                .filteredOn(o -> o.node() == 2).allMatch(o -> o.status() == 200 || o.status() == 429);
        assertThat(outcomes).as("node 1 answers with a token or a 429 until it dies")
                .filteredOn(o -> o.node() == 1).allMatch(o -> o.status() == 200 || o.status() == 429 || o.response() == null);
        assertThat(outcomes).as("node 1 answers nothing once killed")
                .filteredOn(o -> o.node() == 1 && o.phase().equals("after-kill")).isNotEmpty().allMatch(o -> o.response() == null);
        assertThat(outcomes).as("the client far from its quota is never refused").filteredOn(o -> o.client().equals(counted.clientId()))
                .noneMatch(o -> o.status() == 429);
        assertThat(outcomes.stream().filter(o -> o.node() == 2 && o.phase().equals("after-kill")
                && o.client().equals(counted.clientId()) && o.ok()).count())
                .as("tokens from node 2 after node 1 was killed").isGreaterThanOrEqualTo(AFTER_KILL);
        // a request node 1 counted but could not answer before it died is counted and not issued (never the reverse)
        long lostOnNode1 = outcomes.stream().filter(o -> o.node() == 1 && o.response() == null && !o.phase().equals("after-kill")).count();
        for (Client c : List.of(capped, counted)) {
            long issued = outcomes.stream().filter(o -> o.client().equals(c.clientId()) && o.ok()).count();
            long counter = hourCounter(c);
            assertThat(counter).as("%s: counter vs %d tokens issued (%d requests lost in node 1's crash)", c.clientId(), issued, lostOnNode1)
                    .isBetween(issued, issued + lostOnNode1);
            if (c == capped) {
                assertThat(issued).as("tokens within the quota").isLessThanOrEqualTo(cappedQuota);
                assertThat(counter).as("the capped client's quota was used up").isEqualTo(cappedQuota);
            }
        }

        node1.startAgain();
        KeycloakCluster.View rejoined = cluster.awaitView(node1, 2);
        assertThat(cluster.awaitView(cluster.node(2), 2)).isEqualTo(rejoined);

        long before = hourCounter(counted);
        HttpResult fromNode1 = token(1, counted, ORDERS);
        assertThat(fromNode1.status()).as("%s", fromNode1).isEqualTo(200);
        assertThat(Long.parseLong(fromNode1.requireHeader("X-RateLimit-Remaining"))).isEqualTo(bigQuota - before - 1);
        HttpResult fromNode2 = token(2, counted, ORDERS);
        assertThat(Long.parseLong(fromNode2.requireHeader("X-RateLimit-Remaining"))).isEqualTo(bigQuota - before - 2);
        assertThat(hourCounter(counted)).isEqualTo(before + 2);
        assertThat(usageSeenBy(1, capped)).as("capped client's usage on the restarted node").isEqualTo(cappedQuota);
        assertThat(usageSeenBy(2, capped)).isEqualTo(cappedQuota);
        assertThat(token(1, capped, ORDERS).json()).isEqualTo(error("too_many_requests", "Client quota exceeded"));
    }

    @Test
    @Order(8)
    @DisplayName("PostgreSQL restarted mid-load: requests fail cleanly with a 5xx OAuth error, every token issued is counted, and tokens flow again once it is back")
    void databaseRestartedMidLoad() {
        Client counted = client("svc-db-counted", 100_000);
        Client free = client("svc-db-free", null);
        notNearHourEnd(Duration.ofMinutes(4));
        List<Outcome> outcomes;
        try (Load load = Load.start(CONCURRENCY, Integer.MAX_VALUE, alternating(counted, free))) {
            load.awaitCompleted(80, Load.CEILING_SECONDS);
            load.phase("stopping");
            cluster.db().stop();
            load.phase("down");
            // refusals while the database is down, for both clients on both nodes: waited for, not assumed
            for (int n = 1; n <= 2; n++) {
                for (Client c : List.of(counted, free)) {
                    int node = n;
                    load.awaitOutcomes(o -> o.phase().equals("down") && o.node() == node && o.client().equals(c.clientId())
                            && o.response() != null && !o.ok(), 5, Load.CEILING_SECONDS);
                }
            }
            load.phase("starting");
            cluster.db().startAgain();
            load.phase("back");
            // recovery: within a bounded number of requests every node serves both clients again
            for (int n = 1; n <= 2; n++) {
                for (Client c : List.of(counted, free)) {
                    int node = n;
                    load.awaitOutcomes(o -> o.phase().equals("back") && o.node() == node && o.client().equals(c.clientId()) && o.ok(), 5,
                            Load.CEILING_SECONDS);
                }
            }
            load.stop();
            outcomes = load.outcomes();
        }
        System.out.println("database restart, outcomes by phase, client and status: " + summary(outcomes));
        assertThat(outcomes).as("both nodes answer every request").allMatch(o -> o.response() != null);
        for (Outcome o : outcomes) {
            if (o.ok()) continue;
            assertThat(o.response().header("Content-Type").orElse("")).as("%s", o).startsWith("application/json");
            assertThat(o.response().body()).as("%s", o).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
            if (o.status() == 503) {
                // our quota count could not reach the database: no token
                assertThat(o.client()).as("%s", o).isEqualTo(counted.clientId());
                assertThat(o.response().json()).as("%s", o).isEqualTo(QUOTA_UNAVAILABLE);
            } else {
                assertThat(o.status()).as("%s", o).isEqualTo(500);
                assertKeycloakServerError(o.response());
            }
        }
        for (Client c : List.of(counted, free)) {
            assertThat(outcomes.stream().filter(o -> o.phase().equals("down") && o.client().equals(c.clientId()) && !o.ok()).count())
                    .as("%s refused while the database is down", c.clientId()).isPositive();
        }
        long issued = outcomes.stream().filter(o -> o.client().equals(counted.clientId()) && o.ok()).count();
        long refused = outcomes.stream().filter(o -> o.client().equals(counted.clientId()) && !o.ok()).count();
        long counter = hourCounter(counted);
        System.out.println("database restart: " + issued + " tokens issued to " + counted.clientId() + ", " + refused
                + " refused, counter " + counter);
        // Every token issued is counted. A count can outlive its token only when the database went away between the
        // count and the end of the request (the give-back needs the database too): never more than the refusals.
        assertThat(counter).as("counter vs %d tokens issued, %d refused", issued, refused).isBetween(issued, issued + refused);
        assertThat(usageSeenBy(1, counted)).isEqualTo(counter);
        assertThat(usageSeenBy(2, counted)).isEqualTo(counter);
    }
}
