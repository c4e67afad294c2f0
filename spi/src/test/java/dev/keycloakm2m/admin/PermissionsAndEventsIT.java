package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.GRANTS;
import static dev.keycloakm2m.admin.M2mRest.SETTINGS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static dev.keycloakm2m.admin.M2mRest.createGrant;
import static dev.keycloakm2m.admin.M2mRest.grant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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

@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Admin REST /m2m: who may read and write, and the admin events writes leave")
class PermissionsAndEventsIT {

    static final String IDENTIFIER = "https://api.example.com/guarded";
    private String apiId;
    private String grantId;
    private TestRealm other;

    @BeforeAll
    void setUp(TestRealm realm, KeycloakServer server, AdminClient master) {
        realm.createClient("svc-guarded");
        apiId = createApi(realm, api("Guarded", IDENTIFIER, "read")).get("id").asText();
        grantId = createGrant(realm, grant("svc-guarded", IDENTIFIER, "read")).get("id").asText();
        other = TestRealm.create(server, master, realm.name() + "-other");
    }

    @AfterAll
    void tearDown() {
        if (other != null) other.close();
    }

    private String path(TestRealm realm, String relative) {
        return "/admin/realms/" + realm.name() + relative;
    }

    private String state(TestRealm realm) {
        return realm.get(APIS).body() + realm.get(GRANTS).body() + realm.get(SETTINGS).body();
    }

    @Test
    @DisplayName("no token or an invalid one: Keycloak's 401 before any of our code runs")
    void unauthenticated(TestRealm realm) {
        for (String[] call : List.of(new String[] {"GET", APIS}, new String[] {"POST", APIS}, new String[] {"GET", GRANTS},
                new String[] {"PATCH", SETTINGS}, new String[] {"DELETE", APIS + "/" + apiId})) {
            String url = realm.admin().baseUrl() + path(realm, call[1]);
            HttpResult none = Http.send(call[0], url, Map.of("Content-Type", "application/json"), call[0].equals("GET") ? null : "{}");
            assertThat(none.status()).as("%s %s without token", call[0], call[1]).isEqualTo(401);
            assertThat(none.body()).isEqualTo("{\"error\":\"HTTP 401 Unauthorized\"}");
            HttpResult bad = Http.send(call[0], url, Map.of("Authorization", "Bearer not-a-token"), null);
            assertThat(bad.status()).as("%s %s with a malformed token", call[0], call[1]).isEqualTo(401);
        }
        assertThat(realm.get(APIS + "/" + apiId).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a realm admin with only view-realm reads everything but every write is 403 and changes nothing")
    void viewRealmOnly(TestRealm realm) {
        AdminClient viewer = AdminUsers.create(realm, "viewer", "view-realm");
        assertThat(viewer.get(path(realm, APIS)).status()).isEqualTo(200);
        assertThat(viewer.get(path(realm, APIS + "/" + apiId)).json().get("identifier").asText()).isEqualTo(IDENTIFIER);
        JsonNode viewerGrants = viewer.get(path(realm, GRANTS)).json();
        assertThat(viewerGrants.findValuesAsText("id")).as("the grant set up for this class").contains(grantId);
        assertThat(viewerGrants).as("the same list the realm's full admin sees").isEqualTo(realm.get(GRANTS).json());
        assertThat(viewer.get(path(realm, GRANTS + "/" + grantId)).status()).isEqualTo(200);
        assertThat(viewer.get(path(realm, SETTINGS)).status()).isEqualTo(200);

        String before = state(realm);
        List<HttpResult> writes = List.of(
                viewer.post(path(realm, APIS), api("Sneaky", "urn:sneaky")),
                viewer.patch(path(realm, APIS + "/" + apiId), Map.of("name", "Renamed")),
                viewer.delete(path(realm, APIS + "/" + apiId)),
                viewer.post(path(realm, GRANTS), grant("svc-guarded", "urn:sneaky")),
                viewer.patch(path(realm, GRANTS + "/" + grantId), Map.of("scope", List.of())),
                viewer.delete(path(realm, GRANTS + "/" + grantId)),
                viewer.patch(path(realm, SETTINGS), Map.of("error_style", "auth0")));
        for (HttpResult r : writes) {
            assertThat(r.status()).as("%s", r).isEqualTo(403);
            assertThat(r.body()).isEqualTo("{\"error\":\"HTTP 403 Forbidden\"}");
        }
        assertThat(state(realm)).isEqualTo(before);
    }

    @Test
    @DisplayName("a realm admin with manage-realm may write")
    void manageRealm(TestRealm realm) {
        AdminClient manager = AdminUsers.create(realm, "manager", "manage-realm");
        HttpResult r = manager.post(path(realm, APIS), api("Managed", "urn:managed"));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(manager.delete(path(realm, APIS + "/" + r.json().get("id").asText())).status()).isEqualTo(204);
    }

    @Test
    @DisplayName("a user of the realm without admin roles: 403 for reads and writes")
    void noAdminRoles(TestRealm realm) {
        AdminClient user = AdminUsers.create(realm, "plain-user");
        assertThat(user.get(path(realm, APIS)).status()).isEqualTo(403);
        assertThat(user.get(path(realm, SETTINGS)).status()).isEqualTo(403);
        assertThat(user.post(path(realm, APIS), api("Nope", "urn:nope")).status()).isEqualTo(403);
    }

    @Test
    @DisplayName("a full realm admin of another realm: 403 in this realm (Keycloak refuses cross-realm admin tokens)")
    void otherRealm(TestRealm realm) {
        AdminClient stranger = AdminUsers.create(other, "stranger", "realm-admin");
        assertThat(stranger.get("/admin/realms/" + other.name() + "/m2m/resource-servers").status())
                .as("the token works in its own realm").isEqualTo(200);
        String before = state(realm);
        HttpResult read = stranger.get(path(realm, APIS));
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).isEqualTo("{\"error\":\"HTTP 403 Forbidden\"}");
        assertThat(stranger.post(path(realm, APIS), api("Foreign", "urn:foreign")).status()).isEqualTo(403);
        assertThat(stranger.delete(path(realm, GRANTS + "/" + grantId)).status()).isEqualTo(403);
        assertThat(state(realm)).isEqualTo(before);
    }

    @Test
    @DisplayName("every write leaves an admin event: CREATE/UPDATE/DELETE, our resource type, the path and the representation")
    void adminEvents(TestRealm realm) {
        realm.createClient("svc-events");
        JsonNode created = createApi(realm, api("Evented", "urn:evented", "read", "write"));
        String id = created.get("id").asText();
        JsonNode patched = realm.patch(APIS + "/" + id, Map.of("name", "Evented API")).json();
        JsonNode grant = createGrant(realm, grant("svc-events", "urn:evented", "read"));
        String gid = grant.get("id").asText();
        JsonNode grantPatched = realm.patch(GRANTS + "/" + gid, Map.of("scope", List.of("read", "write"))).json();
        JsonNode settings = realm.patch(SETTINGS, Map.of("error_style", "auth0")).json();
        assertThat(realm.post(APIS, api("Refused", "urn:evented")).status()).as("duplicate").isEqualTo(409);
        assertThat(realm.delete(APIS + "/" + id).status()).isEqualTo(204);

        // Keycloak 26.7 answers 500 to ?resourceTypes= with a custom type, so read the latest events and filter here
        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode e : realm.adminEvents("max=50")) {
            if (e.get("resourceType").asText().startsWith("M2M_")) ours.add(e);
        }
        List<String> seen = new ArrayList<>();
        for (JsonNode e : ours) seen.add(e.get("operationType").asText() + " " + e.get("resourceType").asText() + " " + e.get("resourcePath").asText());
        assertThat(seen).contains(
                "CREATE M2M_RESOURCE_SERVER m2m/resource-servers/" + id,
                "UPDATE M2M_RESOURCE_SERVER m2m/resource-servers/" + id,
                "CREATE M2M_CLIENT_GRANT m2m/client-grants/" + gid,
                "UPDATE M2M_CLIENT_GRANT m2m/client-grants/" + gid,
                "UPDATE M2M_SETTINGS m2m/settings",
                "DELETE M2M_CLIENT_GRANT m2m/client-grants/" + gid,
                "DELETE M2M_RESOURCE_SERVER m2m/resource-servers/" + id);
        assertThat(ours.stream().filter(e -> e.get("operationType").asText().equals("CREATE")
                && e.get("representation").asText().contains("\"identifier\":\"urn:evented\"")).count())
                .as("the refused duplicate left no event").isEqualTo(1);

        // what the events carry, by value (not only "the same as the REST answer")
        assertThat(representation(ours, "CREATE", "m2m/resource-servers/" + id).get("name").asText()).isEqualTo("Evented");
        assertThat(representation(ours, "UPDATE", "m2m/resource-servers/" + id).get("name").asText()).isEqualTo("Evented API");
        assertThat(representation(ours, "UPDATE", "m2m/resource-servers/" + id).get("identifier").asText()).isEqualTo("urn:evented");
        assertThat(representation(ours, "CREATE", "m2m/client-grants/" + gid).get("scope").toString()).isEqualTo("[\"read\"]");
        assertThat(representation(ours, "UPDATE", "m2m/client-grants/" + gid).get("scope").toString()).isEqualTo("[\"read\",\"write\"]");
        assertThat(representation(ours, "UPDATE", "m2m/settings").get("error_style").asText()).isEqualTo("auth0");
        assertThat(representation(ours, "CREATE", "m2m/resource-servers/" + id)).isEqualTo(created);
        assertThat(representation(ours, "UPDATE", "m2m/resource-servers/" + id)).isEqualTo(patched);
        assertThat(representation(ours, "CREATE", "m2m/client-grants/" + gid)).isEqualTo(grant);
        assertThat(representation(ours, "UPDATE", "m2m/client-grants/" + gid)).isEqualTo(grantPatched);
        assertThat(representation(ours, "UPDATE", "m2m/settings")).isEqualTo(settings);
        assertThat(representation(ours, "DELETE", "m2m/client-grants/" + gid)).isEqualTo(grantPatched);
        assertThat(representation(ours, "DELETE", "m2m/resource-servers/" + id)).isEqualTo(patched);
        for (JsonNode e : ours) {
            assertThat(e.at("/authDetails/realmId").asText()).isNotEmpty();
            assertThat(e.at("/authDetails/userId").asText()).isNotEmpty();
        }
    }

    private static JsonNode representation(List<JsonNode> events, String operation, String path) {
        for (JsonNode e : events) {
            if (e.get("operationType").asText().equals(operation) && e.get("resourcePath").asText().equals(path)) {
                try {
                    return Http.JSON.readTree(e.get("representation").asText());
                } catch (java.io.IOException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        throw new AssertionError("no " + operation + " event for " + path + " in " + events);
    }
}
