package dev.keycloakm2m.auth0;

import static dev.keycloakm2m.auth0.Auth0Files.ENV;
import static dev.keycloakm2m.auth0.Auth0Files.JSON;
import static dev.keycloakm2m.auth0.Auth0Files.YAML;
import static dev.keycloakm2m.auth0.Auth0Files.ZIP;
import static dev.keycloakm2m.auth0.Auth0Files.actions;
import static dev.keycloakm2m.auth0.Auth0Files.importTenant;
import static dev.keycloakm2m.auth0.Auth0Files.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("POST /m2m/import: the example Auth0 tenant (examples/auth0-tenant) in its three forms")
class Auth0ImportIT {

    static final String APPLY = "create_missing_clients=true&" + ENV;
    static final String ORDERS = "https://api.acme-logistics.example/orders";
    static final String INVENTORY = "https://api.acme-logistics.example/inventory";
    static final String PARTNERS = "https://partners.prod.acme-logistics.example/";

    private final Map<String, TestRealm> realms = new HashMap<>();
    private final Map<String, JsonNode> results = new HashMap<>();
    private final Map<String, ObjectNode> snapshots = new HashMap<>();
    private KeycloakServer server;
    private AdminClient admin;

    @BeforeAll
    void importAllForms(KeycloakServer server, AdminClient admin) {
        this.server = server;
        this.admin = admin;
        Map<String, Object[]> forms = Map.of(
                "json", new Object[] {JSON, Auth0Files.read("management-api.json")},
                "yaml", new Object[] {YAML, Auth0Files.read("tenant.yaml")},
                "zip", new Object[] {ZIP, Auth0Files.exampleZip()});
        for (String form : List.of("json", "yaml", "zip")) {
            TestRealm realm = realm("it-auth0-" + form);
            HttpResult r = importTenant(realm, (String) forms.get(form)[0], (byte[]) forms.get(form)[1], APPLY);
            assertThat(r.status()).as("%s import: %s", form, r).isEqualTo(200);
            results.put(form, r.json());
            snapshots.put(form, snapshot(realm));
        }
    }

    private TestRealm realm(String name) {
        TestRealm realm = TestRealm.create(server, admin, name);
        realms.put(name, realm);
        return realm;
    }

    @AfterAll
    void deleteRealms() {
        realms.values().forEach(TestRealm::close);
    }

    @Test
    @DisplayName("JSON, tenant.yaml and the zipped directory give the same realm: 10 APIs, 15 clients, 41 grants, 4 client quotas, the default quota")
    void sameRealm() {
        ObjectNode json = snapshots.get("json");
        assertThat(json.get("apis")).hasSize(10);
        assertThat(json.get("grants")).hasSize(41);
        assertThat(json.at("/settings/default_token_quota/clients/client_credentials").toString())
                .isEqualTo("{\"per_hour\":1000,\"per_day\":10000,\"enforce\":true}");
        List<String> withQuota = new ArrayList<>();
        json.get("clients").fields().forEachRemaining(c -> {
            if (c.getValue().has("token_quota")) withQuota.add(c.getKey());
        });
        assertThat(withQuota).containsExactlyInAnyOrder("order-sync", "Warehouse Robot Fleet", "billing-batch", "storefront-backend");
        assertThat(json.get("clients").has("Warehouse Robot Fleet")).as("a client named after the Auth0 application").isTrue();
        assertThat(json.get("clients").get("order-sync").toString()).isEqualTo("{\"publicClient\":false,\"serviceAccountsEnabled\":true,"
                + "\"standardFlowEnabled\":false,\"token_quota\":{\"client_credentials\":{\"per_hour\":2000,\"per_day\":20000,\"enforce\":true}}}");
        assertThat(json.get("clients").has("Acme Storefront")).as("a SPA is not imported").isFalse();
        assertThat(snapshots.get("yaml")).isEqualTo(json);
        assertThat(snapshots.get("zip")).isEqualTo(json);
    }

    @Test
    @DisplayName("the plan: every entity with its action, the Management API and non-M2M apps skipped with a reason, secrets once")
    void plan() {
        JsonNode r = results.get("yaml");
        assertThat(r.get("dry_run").asBoolean()).isFalse();
        assertThat(r.get("summary").toString()).startsWith("{\"create\":67,\"update\":0,\"unchanged\":0,\"skipped\":3,");
        assertThat(actions(r, "resource_servers")).contains(ORDERS + "=create", PARTNERS + "=create").hasSize(10);
        assertThat(actions(r, "clients")).contains("order-sync=create", "Acme Storefront=skipped", "Ops Dashboard=skipped").hasSize(17);
        assertThat(actions(r, "client_grants")).contains("ops-cli -> https://acme-logistics.eu.auth0.com/api/v2/=skipped").hasSize(42);
        assertThat(actions(r, "tenant")).containsExactly("default_token_quota=create");
        JsonNode spa = find(r.get("clients"), "Acme Storefront");
        assertThat(spa.get("reason").asText()).isEqualTo("app_type \"spa\": only machine-to-machine applications (non_interactive) are imported");
        JsonNode created = find(r.get("clients"), "order-sync");
        assertThat(created.get("client_id").asText()).isEqualTo("order-sync");
        assertThat(created.get("client_secret").asText()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(created.get("file").asText()).isEqualTo("tenant.yaml");
        assertThat(created.get("path").asText()).isEqualTo("clients[0]");

        boolean recorded = false;
        for (JsonNode e : realms.get("it-auth0-yaml").adminEvents("operationTypes=ACTION&max=100")) {
            if (!e.path("resourcePath").asText().equals("m2m/import")) continue;
            assertThat(e.get("resourceType").asText()).isEqualTo("M2M_IMPORT");
            assertThat(e.get("representation").asText()).as("the summary, never a secret").doesNotContain("client_secret");
            recorded |= e.get("representation").asText().contains("\"create\":67");
        }
        assertThat(recorded).as("an admin event with the import's summary").isTrue();

        JsonNode json = results.get("json");
        assertThat(actions(json, "resource_servers")).contains("https://acme-logistics.eu.auth0.com/api/v2/=skipped").hasSize(11);
        JsonNode grant = json.get("client_grants").get(0);
        assertThat(grant.get("client_id").asText()).as("resolved from the Auth0 client id").isEqualTo("order-sync");
    }

    @Test
    @DisplayName("unsupported Auth0 fields and asset types are listed with where they were found")
    void unsupported() {
        List<String> listed = new ArrayList<>();
        for (JsonNode u : results.get("yaml").get("unsupported")) {
            listed.add(u.get("file").asText() + " " + u.path("field").asText() + " " + u.path("entity").asText());
        }
        assertThat(listed).contains(
                "tenant.yaml resourceServers[0].allow_offline_access resource server \"" + ORDERS + "\"",
                "tenant.yaml resourceServers[5].token_lifetime_for_web resource server \"https://api.acme-logistics.example/catalog\"",
                "tenant.yaml resourceServers[9].subject_type_authorization.user resource server \"urn:acme:audit\"",
                "tenant.yaml clients[0].grant_types client \"order-sync\"",
                "tenant.yaml tenant.friendly_name tenant settings",
                "tenant.yaml pages ");
        assertThat(results.get("yaml").at("/summary/unsupported").asInt()).isEqualTo(listed.size());
        List<String> files = new ArrayList<>();
        for (JsonNode u : results.get("zip").get("unsupported")) files.add(u.get("file").asText() + " " + u.path("field").asText());
        assertThat(files).contains("tenant/resource-servers/Orders API.json allow_offline_access", "tenant/tenant.json support_email");
    }

    @Test
    @DisplayName("a second import of the same files changes nothing: the dry run and the import say unchanged for everything")
    void secondImportUnchanged() {
        TestRealm realm = realms.get("it-auth0-yaml");
        for (String query : List.of("dry_run=true&" + APPLY, APPLY)) {
            HttpResult r = importTenant(realm, YAML, Auth0Files.read("tenant.yaml"), query);
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            JsonNode s = r.json().get("summary");
            assertThat(s.get("create").asInt()).as("%s", r).isZero();
            assertThat(s.get("update").asInt()).as("%s", r).isZero();
            assertThat(s.get("unchanged").asInt()).isEqualTo(67);
            assertThat(s.get("skipped").asInt()).isEqualTo(3);
            for (JsonNode c : r.json().get("clients")) assertThat(c.has("client_secret")).isFalse();
        }
        assertThat(snapshot(realm)).isEqualTo(snapshots.get("yaml"));
    }

    @Test
    @DisplayName("tokens work for imported grants, with the imported scopes, lifetime and dialect")
    void tokens() {
        TestRealm realm = realms.get("it-auth0-json");
        String secret = find(results.get("json").get("clients"), "order-sync").get("client_secret").asText();
        TestRealm.Client client = new TestRealm.Client("order-sync", secret, null);

        HttpResult r = realm.clientCredentials(client, "audience", ORDERS);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("scope").asText()).isEqualTo("read:orders write:orders");
        assertThat(r.json().get("expires_in").asInt()).isEqualTo(3600);
        Jwt jwt = Jwt.verified(r.json().get("access_token").asText(), realm.jwksUrl());
        assertThat(jwt.string("aud")).isEqualTo(ORDERS);
        assertThat(jwt.number("exp") - jwt.number("iat")).isEqualTo(3600);

        HttpResult inv = realm.clientCredentials(client, "audience", INVENTORY, "scope", "reserve:stock");
        assertThat(inv.status()).as("%s", inv).isEqualTo(200);
        Jwt at = Jwt.verified(inv.json().get("access_token").asText(), realm.jwksUrl());
        assertThat(at.typ()).as("rfc9068_profile").isEqualTo("at+jwt");
        assertThat(at.string("scope")).isEqualTo("reserve:stock");

        HttpResult denied = realm.clientCredentials(client, "audience", "https://reports.acme-logistics.example/api");
        assertThat(denied.status()).as("no grant for the Reporting API: %s", denied).isEqualTo(400);
        assertThat(denied.json().get("error").asText()).isEqualTo("invalid_target");

        String partner = find(results.get("json").get("clients"), "partner-connector").get("client_secret").asText();
        HttpResult p = realm.clientCredentials(new TestRealm.Client("partner-connector", partner, null), "audience", PARTNERS);
        assertThat(p.status()).as("the ##ENV## keyword was replaced: %s", p).isEqualTo(200);
        assertThat(r.header("RateLimit-Policy").orElse("")).as("the imported client quota")
                .isEqualTo("\"per_hour\";q=2000;w=3600, \"per_day\";q=20000;w=86400");
    }

    @Test
    @DisplayName("export -> import into an empty realm gives the same realm, in both export formats")
    void exportRoundTrip() {
        TestRealm source = realms.get("it-auth0-json");
        for (String format : List.of("auth0-json", "auth0-yaml")) {
            HttpResult export = source.get("/m2m/export?format=" + format);
            assertThat(export.status()).as("%s", export).isEqualTo(200);
            assertThat(export.header("Content-Type").orElse("")).startsWith(format.equals("auth0-json") ? JSON : YAML);
            TestRealm target = realm("it-auth0-roundtrip-" + format.substring(6));
            HttpResult r = importTenant(target, format.equals("auth0-json") ? JSON : YAML, export.body(), "create_missing_clients=true");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(r.json().at("/summary/skipped").asInt()).isZero();
            ObjectNode copy = snapshot(target);
            ObjectNode original = snapshots.get("json").deepCopy();
            // clients made by the import carry the Auth0 name as Keycloak name; the picture compares Client IDs and flags
            assertThat(copy).isEqualTo(original);
            HttpResult again = target.get("/m2m/export?format=" + format);
            assertThat(withoutHeader(again.body())).as("exporting the copy gives the same file").isEqualTo(withoutHeader(export.body()));
        }
    }

    private static JsonNode find(JsonNode list, String key) {
        for (JsonNode e : list) if (e.get("key").asText().equals(key)) return e;
        throw new AssertionError("no " + key + " in " + list);
    }

    /** The YAML export's first line names the realm. */
    private static String withoutHeader(String body) {
        return body.startsWith("#") ? body.substring(body.indexOf('\n') + 1) : body;
    }
}
