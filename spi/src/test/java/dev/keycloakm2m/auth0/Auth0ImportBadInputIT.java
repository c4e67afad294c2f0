package dev.keycloakm2m.auth0;

import static dev.keycloakm2m.auth0.Auth0Files.JSON;
import static dev.keycloakm2m.auth0.Auth0Files.YAML;
import static dev.keycloakm2m.auth0.Auth0Files.ZIP;
import static dev.keycloakm2m.auth0.Auth0Files.actions;
import static dev.keycloakm2m.auth0.Auth0Files.importTenant;
import static dev.keycloakm2m.auth0.Auth0Files.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("POST /m2m/import: dry run, all or nothing, bad input (400 naming file, entity, field; nothing written), permissions")
class Auth0ImportBadInputIT {

    static final String EXISTING = "https://existing.example/api";

    private ObjectNode before;

    @BeforeAll
    void existingState(TestRealm realm) {
        assertThat(realm.post("/m2m/resource-servers", Map.of("name", "Existing", "identifier", EXISTING,
                "scopes", List.of(Map.of("value", "read", "description", "Read")))).status()).isEqualTo(201);
        realm.createClient("existing-svc");
        assertThat(realm.post("/m2m/client-grants", Map.of("client_id", "existing-svc", "audience", EXISTING,
                "scope", List.of("read"))).status()).isEqualTo(201);
        before = snapshot(realm);
    }

    /** A small Management API document: two APIs, two new clients, three grants (the second one as given). */
    static String tenant(String secondGrant) {
        return """
                {"resource_servers": [
                   {"name": "A", "identifier": "https://a.example/", "scopes": [{"value": "read:a", "description": "Read A"}]},
                   {"name": "B", "identifier": "https://b.example/", "scopes": [{"value": "read:b"}], "token_lifetime": 600}],
                 "clients": [
                   {"name": "svc-one", "client_id": "AUTH0ID1", "app_type": "non_interactive"},
                   {"name": "svc-two", "client_id": "AUTH0ID2", "app_type": "non_interactive"}],
                 "client_grants": [
                   {"client_id": "AUTH0ID1", "audience": "https://a.example/", "scope": ["read:a"]},
                   %s,
                   {"client_id": "svc-two", "audience": "https://b.example/", "scope": ["read:b"]}]}
                """.formatted(secondGrant);
    }

    static final String GOOD_GRANT = "{\"client_id\": \"AUTH0ID2\", \"audience\": \"https://a.example/\", \"scope\": [\"read:a\"]}";

    private void nothingWritten(TestRealm realm) {
        assertThat(snapshot(realm)).as("the realm is exactly as before").isEqualTo(before);
    }

    private static JsonNode assert400(HttpResult r, String file, String entity, String field, String message) {
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        JsonNode b = r.json();
        assertThat(b.path("file").asText(null)).as("%s", r).isEqualTo(file);
        assertThat(b.path("entity").asText(null)).as("%s", r).isEqualTo(entity);
        assertThat(b.path("field").asText(null)).as("%s", r).isEqualTo(field);
        assertThat(b.path("errorMessage").asText()).as("%s", r).contains(message);
        return b;
    }

    @Test
    @DisplayName("dry_run=true answers the plan and writes nothing; the same import without it creates what the plan said")
    void dryRun(TestRealm realm) {
        HttpResult plan = importTenant(realm, JSON, tenant(GOOD_GRANT), "dry_run=true&create_missing_clients=true");
        assertThat(plan.status()).as("%s", plan).isEqualTo(200);
        assertThat(plan.json().get("dry_run").asBoolean()).isTrue();
        assertThat(actions(plan.json(), "resource_servers")).containsExactly("https://a.example/=create", "https://b.example/=create");
        assertThat(actions(plan.json(), "clients")).containsExactly("svc-one=create", "svc-two=create");
        assertThat(actions(plan.json(), "client_grants")).containsExactly("AUTH0ID1 -> https://a.example/=create",
                "AUTH0ID2 -> https://a.example/=create", "svc-two -> https://b.example/=create");
        assertThat(plan.json().get("clients").get(0).has("client_secret")).as("no client is created by a dry run").isFalse();
        nothingWritten(realm);
        for (JsonNode e : realm.adminEvents("max=1000")) {
            assertThat(e.path("resourcePath").asText()).as("no import event for a dry run").isNotEqualTo("m2m/import");
        }
    }

    @Test
    @DisplayName("a failing grant in the middle refuses the whole import (400 naming it) and leaves the realm exactly as before")
    void failingGrantInTheMiddle(TestRealm realm) {
        HttpResult r = importTenant(realm, JSON, tenant("{\"client_id\": \"svc-two\", \"audience\": \"https://a.example/\", \"scope\": [\"write:a\"]}"),
                "create_missing_clients=true");
        assert400(r, "request body", "client grant \"svc-two\" -> \"https://a.example/\"", "client_grants[1].scope",
                "scope must be a subset of the resource server's scopes; \"https://a.example/\" does not define: write:a");
        nothingWritten(realm);
        assertThat(realm.get("/clients?clientId=svc-one").json()).as("no client created").isEmpty();
    }

    @Test
    @DisplayName("an unresolved grant fails the import unless skip_unresolved=true, which skips it with the reason")
    void unresolved(TestRealm realm) {
        String ghost = "{\"client_id\": \"ghost\", \"audience\": \"https://a.example/\", \"scope\": []}";
        assert400(importTenant(realm, JSON, tenant(ghost), "create_missing_clients=true&dry_run=true"), "request body",
                "client grant \"ghost\" -> \"https://a.example/\"", "client_grants[1].client_id",
                "client \"ghost\" is neither a client of the import nor a client of the realm");
        HttpResult r = importTenant(realm, JSON, tenant(ghost), "create_missing_clients=true&dry_run=true&skip_unresolved=true");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(actions(r.json(), "client_grants")).contains("ghost -> https://a.example/=skipped");
        HttpResult noClients = importTenant(realm, JSON, tenant(GOOD_GRANT), "dry_run=true&skip_unresolved=true");
        assertThat(actions(noClients.json(), "clients")).containsExactly("svc-one=skipped", "svc-two=skipped");
        assertThat(noClients.json().get("clients").get(0).get("reason").asText())
                .startsWith("the realm has no client \"svc-one\" (pass create_missing_clients=true");
        nothingWritten(realm);
    }

    @Test
    @DisplayName("client_map reuses an existing client; keep_client_ids names new clients by their Auth0 client_id")
    void clientMapAndKeepIds(TestRealm realm) {
        String map = "client_map=" + Http.enc("{\"svc-one\":\"existing-svc\"}");
        HttpResult r = importTenant(realm, JSON, tenant(GOOD_GRANT), "dry_run=true&create_missing_clients=true&keep_client_ids=true&" + map);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode clients = r.json().get("clients");
        assertThat(clients.get(0).get("client_id").asText()).isEqualTo("existing-svc");
        assertThat(clients.get(0).get("action").asText()).isEqualTo("unchanged");
        assertThat(clients.get(1).get("client_id").asText()).isEqualTo("AUTH0ID2");
        assertThat(clients.get(1).get("action").asText()).isEqualTo("create");
        assertThat(r.json().get("client_grants").get(0).get("client_id").asText()).isEqualTo("existing-svc");
        assertThat(r.json().get("client_grants").get(2).get("client_id").asText()).as("by name too").isEqualTo("AUTH0ID2");
    }

    @Test
    @DisplayName("malformed JSON, YAML and zip: 400 naming the file and the line")
    void malformed(TestRealm realm) {
        assert400(importTenant(realm, JSON, "{\"resource_servers\": [", null), "request body", null, null, "malformed JSON");
        assert400(importTenant(realm, YAML, "resourceServers:\n  - name: [unclosed\n", null), "tenant.yaml", null, null, "malformed YAML");
        assert400(importTenant(realm, YAML, "resourceServers: []\nresourceServers: []\n", null), "tenant.yaml", null, null, "duplicate key");
        assert400(importTenant(realm, ZIP, "not a zip at all".getBytes(StandardCharsets.UTF_8), null), "request body", null, null, "the zip holds no files");
        assert400(importTenant(realm, ZIP, Auth0Files.zip(Map.of("grants/x.json", "{\"client_id\": ".getBytes(StandardCharsets.UTF_8))), null),
                "grants/x.json", null, null, "malformed JSON");
        assert400(importTenant(realm, JSON, "{\"resource_servers\": {}}", null), "request body", null, "resource_servers",
                "resource_servers must be a list");
        assertThat(importTenant(realm, "text/plain", "x", null).status()).isEqualTo(415);
        HttpResult unknown = realm.get("/m2m/import/anything");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("errorMessage").asText()).isEqualTo("Unknown M2M admin endpoint");
        nothingWritten(realm);
    }

    @Test
    @DisplayName("a zip with a path outside its root, or whose files add up to more than 50 MB: 400, nothing written")
    void zipLimits(TestRealm realm) {
        for (String evil : List.of("../grants/evil.json", "tenant/../../evil.json", "/etc/evil.json", "grants\\..\\evil.json")) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("resource-servers/A.json", "{\"name\":\"A\",\"identifier\":\"https://zip.example/\"}".getBytes(StandardCharsets.UTF_8));
            files.put(evil, "{}".getBytes(StandardCharsets.UTF_8));
            assert400(importTenant(realm, ZIP, Auth0Files.zip(files), null), evil, null, null, "the zip holds a path outside its root directory");
        }
        byte[] big = new byte[ImportException.MAX_BYTES + 1];
        Arrays.fill(big, (byte) ' ');
        assert400(importTenant(realm, ZIP, Auth0Files.zip(Map.of("resource-servers/big.json", big)), null), "resource-servers/big.json",
                null, null, "the files in the zip add up to more than 50 MB");
        nothingWritten(realm);
    }

    @Test
    @DisplayName("duplicate identifiers, a scope list that is not a list, an unreplaced keyword: 400 naming file, entity and field")
    void badEntities(TestRealm realm) {
        assert400(importTenant(realm, YAML, """
                resourceServers:
                  - name: One
                    identifier: https://dup.example/
                  - name: Two
                    identifier: https://dup.example/
                """, null), "tenant.yaml", "resource server \"https://dup.example/\"", "resourceServers[1].identifier",
                "duplicate identifier: also at tenant.yaml resourceServers[0]");
        assert400(importTenant(realm, YAML, """
                resourceServers:
                  - name: One
                    identifier: https://one.example/
                    scopes: read:one
                """, null), "tenant.yaml", "resource server \"https://one.example/\"", "resourceServers[0].scopes",
                "resourceServers[0].scopes must be a list of objects");
        assert400(importTenant(realm, YAML, """
                clientGrants:
                  - client_id: existing-svc
                    audience: https://existing.example/api
                    scope: read
                """, null), "tenant.yaml", "client grant \"existing-svc\" -> \"https://existing.example/api\"", "clientGrants[0].scope",
                "clientGrants[0].scope must be a list of strings");
        assert400(importTenant(realm, YAML, "resourceServers:\n  - name: P\n    identifier: https://##STAGE##.example/\n", null),
                "tenant.yaml", null, null, "keyword ##STAGE## (line 3) has no value");
        assert400(importTenant(realm, YAML, "resourceServers:\n  - name: P\n    identifier: https://p.example/\n    token_lifetime: 5\n", null),
                "tenant.yaml", "resource server \"https://p.example/\"", "resourceServers[0].token_lifetime",
                "token_lifetime must be a whole number of seconds between 60 and 2592000");
        assert400(importTenant(realm, JSON, "{}", "keywords=" + Http.enc("[1]")), "query parameters", null, "keywords",
                "keywords must be a JSON object");
        String longName = "x".repeat(256);
        assert400(importTenant(realm, JSON, "{\"clients\": [{\"name\": \"" + longName + "\", \"client_id\": \"ID1\","
                + " \"app_type\": \"non_interactive\"}]}", "create_missing_clients=true&keep_client_ids=true"), "request body",
                "client \"" + longName.substring(0, 80) + "…\"", "clients[0].name", "cannot be the name of a Keycloak client");
        nothingWritten(realm);
    }

    @Test
    @DisplayName("@@KEYWORD@@ takes a JSON value (a scope list), ##KEYWORD## a string")
    void keywords(TestRealm realm) {
        String yaml = """
                resourceServers:
                  - name: "Keyword API (##STAGE##)"
                    identifier: https://kw.##STAGE##.example/
                    scopes: @@SCOPES@@
                """;
        String kw = "keywords=" + Http.enc("{\"STAGE\":\"test\",\"SCOPES\":[{\"value\":\"read:kw\",\"description\":\"Read\"}]}");
        HttpResult r = importTenant(realm, YAML, yaml, "dry_run=true&" + kw);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("resource_servers").get(0).get("key").asText()).isEqualTo("https://kw.test.example/");
        assertThat(r.json().get("resource_servers").get(0).get("name").asText()).isEqualTo("Keyword API (test)");
    }

    @Test
    @DisplayName("view-realm may not import (403); manage-realm may; creating clients also needs manage-clients")
    void permissions(TestRealm realm) {
        AdminClient viewer = dev.keycloakm2m.admin.AdminUsersAccess.create(realm, "import-viewer", "view-realm");
        HttpResult r = Auth0Files.importAs(realm, viewer.token(), JSON, "{}".getBytes(StandardCharsets.UTF_8), "dry_run=true");
        assertThat(r.status()).as("%s", r).isEqualTo(403);
        AdminClient manager = dev.keycloakm2m.admin.AdminUsersAccess.create(realm, "import-manager", "manage-realm");
        HttpResult plan = Auth0Files.importAs(realm, manager.token(), JSON, tenant(GOOD_GRANT).getBytes(StandardCharsets.UTF_8),
                "dry_run=true&create_missing_clients=true");
        assertThat(plan.status()).as("%s", plan).isEqualTo(200);
        HttpResult create = Auth0Files.importAs(realm, manager.token(), JSON, tenant(GOOD_GRANT).getBytes(StandardCharsets.UTF_8),
                "create_missing_clients=true");
        assertThat(create.status()).as("%s", create).isEqualTo(403);
        nothingWritten(realm);
    }
}
