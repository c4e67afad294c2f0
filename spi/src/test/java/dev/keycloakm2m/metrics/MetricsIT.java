package dev.keycloakm2m.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
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

/**
 * Issue 19: the extension's meters on Keycloak's own {@code /metrics} (management interface). The shared test server
 * runs with {@code --metrics-enabled=true}; this class's realm sees only the requests below, so every value is exact.
 * Metrics off: {@code FeatureFlagsIT}. The dashboard in {@code docs/} may use only the names this test saw
 * ({@link #dashboardUsesOnlyMetricsSeenHere}).
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("metrics on Keycloak's /metrics")
class MetricsIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final long HOUR = 3600;
    TestRealm realm;
    Map<String, Double> before;
    Map<String, Double> after;

    @BeforeAll
    void knownSequence(TestRealm realm) throws InterruptedException {
        this.realm = realm;
        // token counts are per UTC hour: the sequence must not straddle one
        long left = HOUR - Math.floorMod(Instant.now().getEpochSecond(), HOUR);
        if (left < 120) Thread.sleep((left + 2) * 1000);
        realm.enableOrganizations();
        realm.createOrganization("Acme Inc.", "acme");
        realm.createApi("Orders", ORDERS, Map.of("read:orders", "", "write:orders", ""), null);

        Client svc = realm.createClient("svc");
        realm.createGrant("svc", ORDERS, List.of("read:orders"), false);
        quota("/m2m/clients/svc/token-quota", 2);
        Client stranger = realm.createClient("svc-stranger");
        Client limited = realm.createClient("svc-limited");
        realm.createGrant("svc-limited", ORDERS, List.of("read:orders"), false);
        HttpResult policy = realm.post("/m2m/rate-limit-policies", Map.of("consumer_selector", "client_id:svc-limited",
                "action", "block", "limit", 0));
        assertThat(policy.status()).as("%s", policy).isEqualTo(201);
        Client forOrg = realm.createClient("svc-org");
        HttpResult grant = realm.post("/m2m/client-grants", Map.of("client_id", "svc-org", "audience", ORDERS,
                "scope", List.of("read:orders"), "organization_usage", "allow", "allow_any_organization", true));
        assertThat(grant.status()).as("%s", grant).isEqualTo(201);
        quota("/m2m/organizations/acme/token-quota", 1);
        Client plain = realm.createClient("svc-plain");

        before = scrape(realm.server());
        expect(realm.clientCredentials(svc, "audience", ORDERS, "scope", "read:orders"), 200);
        expect(realm.clientCredentials(svc, "resource", ORDERS), 200);
        expect(realm.clientCredentials(svc, "audience", ORDERS, "scope", "write:orders"), 400);           // scope not granted
        expect(realm.clientCredentials(svc, "audience", "https://api.example.com/nothing"), 400);          // unknown API
        expect(realm.clientCredentials(svc, "audience", ORDERS), 429);                                      // quota (2/hour)
        expect(realm.clientCredentials(stranger, "audience", ORDERS), 400);                                 // no grant
        expect(realm.clientCredentials(limited, "audience", ORDERS), 429);                                  // rate limit 0/s
        expect(realm.clientCredentials(forOrg, "audience", ORDERS, "organization", "acme"), 200);
        expect(realm.clientCredentials(forOrg, "audience", ORDERS, "organization", "acme"), 429);           // org quota (1/hour)
        expect(realm.clientCredentials(forOrg, "audience", ORDERS), 200);                                   // no organization, no quota
        expect(realm.clientCredentials(plain), 200);                                                        // names no API
        expect(realm.clientCredentials(new Client("svc-plain", "wrong", plain.id())), 401);                 // Keycloak's own refusal
        after = scrape(realm.server());
    }

    void quota(String path, int perHour) {
        HttpResult r = realm.put(path, Map.of("client_credentials", Map.of("per_hour", perHour)));
        assertThat(r.status()).as("%s %s", path, r).isIn(200, 201);
    }

    static void expect(HttpResult r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
    }

    /** One series of this realm: name and labels (without realm) as Prometheus prints them. */
    double value(Map<String, Double> scrape, String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        wanted.put("realm", realm.name());
        for (int i = 0; i < labels.length; i += 2) wanted.put(labels[i], labels[i + 1]);
        return scrape.getOrDefault(name + wanted, 0.0);
    }

    /** This realm's series of one metric, by labels. */
    Map<String, Double> series(Map<String, Double> scrape, String name) {
        Map<String, Double> found = new TreeMap<>();
        scrape.forEach((k, v) -> {
            if (k.startsWith(name + "{") && (k.contains("realm=" + realm.name() + ",") || k.contains("realm=" + realm.name() + "}"))) {
                found.put(k, v);
            }
        });
        return found;
    }

    @Test
    @DisplayName("tokens issued for the API, by realm and API")
    void tokens() {
        assertThat(series(after, "keycloak_m2m_tokens_total")).containsExactly(
                Map.entry("keycloak_m2m_tokens_total{api=" + ORDERS + ", realm=" + realm.name() + "}", 4.0));
    }

    @Test
    @DisplayName("refusals by reason: each kind once")
    void refusals() {
        Map<String, Double> expected = new TreeMap<>();
        for (String reason : List.of("scope_not_granted", "unknown_api", "quota_exceeded", "not_authorized", "rate_limited",
                "organization_quota_exceeded")) {
            expected.put("keycloak_m2m_refusals_total{realm=" + realm.name() + ", reason=" + reason + "}", 1.0);
        }
        assertThat(series(after, "keycloak_m2m_refusals_total")).isEqualTo(expected);
    }

    @Test
    @DisplayName("429s by kind and client")
    void throttled() {
        String r = realm.name();
        assertThat(series(after, "keycloak_m2m_throttled_total")).isEqualTo(Map.of(
                "keycloak_m2m_throttled_total{client=svc, kind=quota, realm=" + r + "}", 1.0,
                "keycloak_m2m_throttled_total{client=svc-limited, kind=rate_limit, realm=" + r + "}", 1.0,
                "keycloak_m2m_throttled_total{client=svc-org, kind=organization_quota, realm=" + r + "}", 1.0));
    }

    @Test
    @DisplayName("quota usage as a share of the limit, only for the client and the organization with a quota")
    void quotaUsage() {
        String r = realm.name();
        assertThat(series(after, "keycloak_m2m_quota_usage_ratio")).isEqualTo(Map.of(
                "keycloak_m2m_quota_usage_ratio{client=svc, realm=" + r + ", window=per_hour}", 1.0));
        assertThat(series(after, "keycloak_m2m_organization_quota_usage_ratio")).isEqualTo(Map.of(
                "keycloak_m2m_organization_quota_usage_ratio{organization=acme, realm=" + r + ", window=per_hour}", 1.0));
    }

    @Test
    @DisplayName("time spent counting quotas: one sample per counted request (3 of svc, 2 of the organization)")
    void quotaCountTimer() {
        assertThat(value(after, "keycloak_m2m_quota_count_seconds_count")).isEqualTo(5.0);
        assertThat(value(after, "keycloak_m2m_quota_count_seconds_sum")).isGreaterThan(0.0);
    }

    @Test
    @DisplayName("requests naming no API record nothing of ours; nothing was there before the sequence")
    void nothingForPlainRequests() {
        assertThat(after.keySet()).noneMatch(k -> k.startsWith("keycloak_m2m_") && k.contains("svc-plain"));
        assertThat(before.keySet()).noneMatch(k -> k.startsWith("keycloak_m2m_") && k.contains("realm=" + realm.name()));
        assertThat(after.keySet().stream().filter(k -> k.startsWith("keycloak_m2m_") && k.contains("realm=" + realm.name())))
                .as("every series of this realm").hasSize(1 + 6 + 3 + 1 + 1 + 3);
    }

    @Test
    @DisplayName("the Grafana dashboard in docs/ is valid JSON and uses only metric names seen here")
    void dashboardUsesOnlyMetricsSeenHere() throws Exception {
        Path dashboard = Path.of(java.util.Objects.requireNonNull(System.getProperty("m2m.grafana-dashboard"),
                "system property m2m.grafana-dashboard (set by the Maven build)"));
        JsonNode json = Http.JSON.readTree(Files.readString(dashboard));
        assertThat(json.path("panels").size()).isGreaterThanOrEqualTo(3);
        java.util.Set<String> used = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("keycloak_m2m_[a-z_]+").matcher(json.toString());
        while (m.find()) used.add(m.group());
        java.util.Set<String> seen = new java.util.TreeSet<>();
        after.keySet().forEach(k -> seen.add(k.substring(0, k.indexOf('{') < 0 ? k.length() : k.indexOf('{'))));
        assertThat(used).isNotEmpty().isSubsetOf(seen);
        assertThat(used).contains("keycloak_m2m_tokens_total", "keycloak_m2m_refusals_total", "keycloak_m2m_quota_usage_ratio");
    }

    /**
     * {@code /metrics} as "name{label=value, ...}" (labels sorted, values unquoted) to value. Our series only; Keycloak's
     * own are not parsed.
     */
    static Map<String, Double> scrape(KeycloakServer server) {
        HttpResult r = Http.get(server.managementUrl() + "/metrics", Map.of());
        assertThat(r.status()).as("GET /metrics on the management interface").isEqualTo(200);
        Map<String, Double> out = new TreeMap<>();
        Pattern line = Pattern.compile("^(keycloak_m2m_[a-z_]+)(?:\\{(.*)\\})? (\\S+)$");
        Pattern label = Pattern.compile("([a-zA-Z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
        for (String l : r.body().split("\n")) {
            Matcher m = line.matcher(l);
            if (!m.matches()) continue;
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher lm = label.matcher(m.group(2));
                while (lm.find()) labels.put(lm.group(1), lm.group(2));
            }
            out.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return out;
    }

    /**
     * Option {@code metrics-client-labels=false}: no client label anywhere; the usage gauge shows the client nearest
     * its quota in the realm.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("with --spi-admin-realm-restapi-extension--m2m--metrics-client-labels=false")
    class WithoutClientLabels {

        KeycloakServer server;
        TestRealm other;
        final Map<String, Client> clients = new LinkedHashMap<>();

        @BeforeAll
        void start() {
            Path target = Path.of(System.getProperty("m2m.test-output", "target"));
            server = KeycloakServer.start(KeycloakServer.options().name("keycloak-metrics-no-client-labels")
                    .home(target.resolve("keycloak-metrics")).provider(KeycloakExtension.jar())
                    .buildArg("--metrics-enabled=true")
                    .runArg("--spi-admin-realm-restapi-extension--m2m--metrics-client-labels=false"));
            other = TestRealm.create(server, AdminClient.master(server), "no-client-labels");
            other.createApi("Orders", ORDERS, Map.of("read:orders", ""), null);
            for (String[] c : new String[][] {{"svc-a", "4"}, {"svc-b", "2"}}) {
                clients.put(c[0], other.createClient(c[0]));
                other.createGrant(c[0], ORDERS, List.of("read:orders"), false);
                HttpResult q = other.put("/m2m/clients/" + c[0] + "/token-quota",
                        Map.of("client_credentials", Map.of("per_hour", Integer.parseInt(c[1]))));
                assertThat(q.status()).as("%s", q).isIn(200, 201);
            }
        }

        @AfterAll
        void stop() {
            if (server != null) server.close();
        }

        @Test
        @DisplayName("429s by realm and kind only; usage: the highest share among the realm's clients")
        void noClientLabel() throws InterruptedException {
            long left = HOUR - Math.floorMod(Instant.now().getEpochSecond(), HOUR);
            if (left < 60) Thread.sleep((left + 2) * 1000);
            Client a = clients.get("svc-a");
            Client b = clients.get("svc-b");
            expect(other.clientCredentials(b, "audience", ORDERS), 200);
            expect(other.clientCredentials(b, "audience", ORDERS), 200);
            expect(other.clientCredentials(b, "audience", ORDERS), 429);  // b: 2 of 2
            expect(other.clientCredentials(a, "audience", ORDERS), 200);  // a: 1 of 4, lower: does not hide b's
            JsonNode info = AdminClient.master(server).get("/admin/serverinfo").json()
                    .at("/providers/admin-realm-restapi-extension/providers/m2m/operationalInfo");
            assertThat(info.path("metrics-client-labels").asText()).as("%s", info).isEqualTo("false");
            Map<String, Double> s = scrape(server);
            String r = other.name();
            assertThat(s).containsEntry("keycloak_m2m_throttled_total{kind=quota, realm=" + r + "}", 1.0)
                    .containsEntry("keycloak_m2m_quota_usage_ratio{realm=" + r + ", window=per_hour}", 1.0)
                    .containsEntry("keycloak_m2m_tokens_total{api=" + ORDERS + ", realm=" + r + "}", 3.0);
            assertThat(s.keySet()).noneMatch(k -> k.contains("client="));
        }
    }
}
