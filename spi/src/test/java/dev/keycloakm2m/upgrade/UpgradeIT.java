package dev.keycloakm2m.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.KeycloakVersions;
import dev.keycloakm2m.testing.TestRealm;

/**
 * Upgrade in place: a server runs 0.1.x (m2m data stored as realm components; the jar of main at c7000c2, built
 * once and kept as a test fixture), APIs, grants, a token quota and settings are written through its admin API;
 * the server stops, the provider jar is replaced by this build's, and the server starts again on the same
 * database. Everything must be there, in the m2m tables, with no component left, and tokens must be as before.
 */
@DisplayName("Upgrade in place from 0.1.x (m2m data in realm components)")
class UpgradeIT {

    static final Path OLD_JAR = Path.of("src/test/resources/upgrade/keycloak-m2m-0.1.0-c7000c2.jar");
    static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";
    static final String TAB_TYPE = "org.keycloak.services.ui.extend.UiTabProvider";
    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "urn:billing";

    static KeycloakServer server;
    static Map<String, Object> before;
    static Map<String, Object> after;
    static int componentsBefore;
    static TestRealm.Client svc;
    static TestRealm realm;

    @BeforeAll
    static void upgrade() throws IOException {
        Path home = Path.of(System.getProperty("m2m.test-output", "target")).resolve("keycloak-upgrade");
        server = KeycloakServer.start(KeycloakServer.options().name("keycloak-upgrade").home(home).provider(OLD_JAR));
        realm = TestRealm.create(server, AdminClient.master(server), "upgrade");
        svc = realm.createClient("svc-upgrade");
        realm.createClient("svc-other");
        created(realm.post("/m2m/resource-servers", Map.of("name", "Orders", "identifier", ORDERS, "token_lifetime", 900,
                "scopes", List.of(Map.of("value", "read:orders", "description", "Read orders"),
                        Map.of("value", "write:orders", "description", "Write orders")))));
        created(realm.post("/m2m/resource-servers", Map.of("name", "Billing", "identifier", BILLING,
                "scopes", List.of(Map.of("value", "read:invoices", "description", "")))));
        created(realm.post("/m2m/client-grants", Map.of("client_id", "svc-upgrade", "audience", ORDERS, "scope", List.of("read:orders"))));
        created(realm.post("/m2m/client-grants", Map.of("client_id", "svc-other", "audience", BILLING, "scope", List.of(),
                "allow_all_scopes", true)));
        created(realm.put("/m2m/clients/svc-other/token-quota", Map.of("client_credentials", Map.of("per_hour", 7))));
        HttpResult settings = realm.patch("/m2m/settings", Map.of("default_audience", ORDERS, "error_style", "auth0"));
        assertThat(settings.status()).as("%s", settings).isEqualTo(200);
        before = data(realm);
        before.put("token", token(realm));
        componentsBefore = m2mComponents(realm);

        server.stop();
        Path providers = home.resolve("providers");
        try (Stream<Path> jars = Files.list(providers)) {
            for (Path jar : (Iterable<Path>) jars::iterator) Files.delete(jar);
        }
        Files.copy(KeycloakExtension.jar(), providers.resolve(KeycloakExtension.jar().getFileName()));
        server.startAgain();

        realm = TestRealm.existing(server, AdminClient.master(server), "upgrade");
        after = data(realm);
        after.put("token", token(realm));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    @DisplayName("0.1.x stored the data as components (the fixture really is the old storage)")
    void oldStorageWasComponents() {
        assertThat(componentsBefore).isEqualTo(6); // 2 APIs, 2 grants, 1 quota, settings
    }

    @Test
    @DisplayName("after the upgrade every API, grant, the quota and the settings are there, ids included, and no component is left")
    void nothingLost() {
        assertThat(after.get("token")).as("a token for the default audience: the API's scope and lifetime").isEqualTo("read:orders 900");
        Map<String, Object> expected = new java.util.LinkedHashMap<>(before);
        Map<String, Object> actual = new java.util.LinkedHashMap<>(withoutOrganizationFields(after));
        if (!KeycloakVersions.atLeast(26, 5)) {
            // 0.1.x never shaped tokens on Keycloak 26.4 (issue 21): its token before the upgrade was Keycloak's own
            assertThat((String) expected.remove("token")).as("Keycloak's own token: its scopes, its 300 s")
                    .doesNotContain("read:orders").contains("profile").endsWith(" 300");
            actual.remove("token");
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(m2mComponents(realm)).isZero();
    }

    @Test
    @DisplayName("fields added since 0.1.x have their defaults after the upgrade: organization_usage deny, no organizations")
    @SuppressWarnings("unchecked")
    void newFieldsHaveDefaults() {
        for (Map<String, Object> grant : (List<Map<String, Object>>) after.get("client_grants")) {
            assertThat(grant).containsEntry("organization_usage", "deny").containsEntry("allow_any_organization", false);
        }
        assertThat((Map<String, Object>) after.get("settings")).containsEntry("allow_organization_name_in_authentication_api", false);
    }

    /** The data without the fields 0.3.0 added (organizations), which the 0.1.x API did not have. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> withoutOrganizationFields(Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put("client_grants", ((List<Map<String, Object>>) data.get("client_grants")).stream().map(g -> {
            Map<String, Object> copy = new LinkedHashMap<>(g);
            copy.remove("organization_usage");
            copy.remove("allow_any_organization");
            return copy;
        }).toList());
        Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) data.get("settings"));
        settings.remove("allow_organization_name_in_authentication_api");
        out.put("settings", settings);
        return out;
    }

    @Test
    @DisplayName("the upgraded data is writable: a duplicate identifier is refused by the database-backed check")
    void writableAfterUpgrade() {
        HttpResult dup = realm.post("/m2m/resource-servers", Map.of("name", "Again", "identifier", ORDERS));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(realm.delete("/m2m/clients/svc-other/token-quota").status()).isEqualTo(204);
    }

    static void created(HttpResult r) {
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    static Map<String, Object> data(TestRealm realm) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resource_servers", Http.JSON.convertValue(realm.get("/m2m/resource-servers").json(), List.class));
        out.put("client_grants", Http.JSON.convertValue(realm.get("/m2m/client-grants").json(), List.class));
        out.put("settings", Http.JSON.convertValue(realm.get("/m2m/settings").json(), Map.class));
        out.put("quota", Http.JSON.convertValue(realm.get("/m2m/clients/svc-other/token-quota").json(), Map.class));
        return out;
    }

    /** The token svc-upgrade gets by the default audience: audience and scope. */
    static String token(TestRealm realm) {
        JsonNode r = realm.clientCredentials(svc).json();
        return r.path("scope").asText() + " " + r.path("expires_in").asText();
    }

    static int m2mComponents(TestRealm realm) {
        int n = 0;
        for (String type : List.of(PAGE_TYPE, TAB_TYPE)) {
            for (JsonNode c : realm.get("/components?type=" + type).json()) {
                if (c.path("providerId").asText().startsWith("m2m-")) n++;
            }
        }
        return n;
    }
}
