package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.GRANTS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.assertError;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static dev.keycloakm2m.admin.M2mRest.createGrant;
import static dev.keycloakm2m.admin.M2mRest.enc;
import static dev.keycloakm2m.admin.M2mRest.grant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Admin REST /m2m/client-grants: client grants in Auth0's shape, client_id being the Keycloak clientId")
class ClientGrantsIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "urn:billing";

    @BeforeAll
    void apisAndClients(TestRealm realm) {
        createApi(realm, api("Orders", ORDERS, "read:orders", "write:orders", "delete:orders"));
        createApi(realm, api("Billing", BILLING, "read:invoices"));
        for (String c : List.of("svc-a", "svc-b", "svc-c", "svc-d")) realm.createClient(c);
        Map<String, Object> web = new LinkedHashMap<>();
        web.put("clientId", "web-app");
        web.put("publicClient", true);
        realm.createClient(web);
        Map<String, Object> noSa = new LinkedHashMap<>();
        noSa.put("clientId", "no-service-account");
        noSa.put("publicClient", false);
        noSa.put("serviceAccountsEnabled", false);
        noSa.put("secret", "s3cret-no-sa");
        realm.createClient(noSa);
    }

    @Test
    @DisplayName("POST answers 201 with the grant and a Location; client_id is the clientId apps use, not the internal UUID")
    void create(TestRealm realm) {
        HttpResult r = realm.post(GRANTS, grant("svc-a", ORDERS, "write:orders", "read:orders"));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode created = r.json();
        assertThat(M2mRest.fieldNames(created)).containsExactlyElementsOf(M2mRest.GRANT_FIELDS);
        assertThat(created.get("client_id").asText()).isEqualTo("svc-a");
        assertThat(created.get("audience").asText()).isEqualTo(ORDERS);
        assertThat(created.get("scope").toString()).as("in the API's order").isEqualTo("[\"read:orders\",\"write:orders\"]");
        assertThat(created.get("allow_all_scopes").asBoolean()).isFalse();
        String id = created.get("id").asText();
        assertThat(r.requireHeader("Location")).endsWith("/admin/realms/" + realm.name() + GRANTS + "/" + id);
        assertThat(realm.get(GRANTS + "/" + id).json()).isEqualTo(created);
        assertThat(realm.get("/components?type=org.keycloak.services.ui.extend.UiPageProvider").json())
                .as("stored in the m2m tables, not as a realm component").isEmpty();
    }

    @Test
    @DisplayName("allow_all_scopes: a grant without a scope list")
    void allowAll(TestRealm realm) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", "svc-b");
        body.put("audience", BILLING);
        body.put("allow_all_scopes", true);
        JsonNode g = createGrant(realm, body);
        assertThat(g.get("allow_all_scopes").asBoolean()).isTrue();
        assertThat(g.get("scope").toString()).isEqualTo("[]");
    }

    @Test
    @DisplayName("unknown client: 404 \"Client not found\"; unknown audience: 404 \"Resource server not found\"")
    void notFound(TestRealm realm) {
        assertError(realm.post(GRANTS, grant("ghost", ORDERS)), 404, "Client not found");
        String uuid = realm.get("/clients?clientId=svc-c").json().get(0).get("id").asText();
        assertError(realm.post(GRANTS, grant(uuid, ORDERS)), 404, "Client not found");
        assertError(realm.post(GRANTS, grant("svc-c", "https://api.example.com/nothing")), 404, "Resource server not found");
    }

    @Test
    @DisplayName("a public client or one without service accounts: 400 saying so")
    void clientKind(TestRealm realm) {
        assertError(realm.post(GRANTS, grant("web-app", ORDERS)), 400,
                "Client \"web-app\" is not a confidential client: only confidential clients can use client credentials");
        assertError(realm.post(GRANTS, grant("no-service-account", ORDERS)), 400, "Client \"no-service-account\" does not have"
                + " service accounts enabled (Client authentication and Service accounts roles must be on)");
    }

    @Test
    @DisplayName("scopes the API does not define: 400 naming them")
    void scopeSubset(TestRealm realm) {
        JsonNode e = assertError(realm.post(GRANTS, grant("svc-c", ORDERS, "read:orders", "admin:orders", "nuke")), 400,
                "scope must be a subset of the resource server's scopes; \"" + ORDERS + "\" does not define: admin:orders nuke");
        assertThat(e.get("field").asText()).isEqualTo("scope");
    }

    @Test
    @DisplayName("a second grant for the same client and API: 409 with Auth0's message")
    void duplicate(TestRealm realm) {
        createGrant(realm, grant("svc-d", ORDERS, "read:orders"));
        assertError(realm.post(GRANTS, grant("svc-d", ORDERS, "write:orders")), 409,
                "A client grant already exists between svc-d and " + ORDERS);
    }

    @Test
    @DisplayName("PATCH changes scope and allow_all_scopes and answers 200; a different client_id or audience is 400")
    void patch(TestRealm realm) {
        String id = createGrant(realm, grant("svc-c", BILLING)).get("id").asText();
        HttpResult r = realm.patch(GRANTS + "/" + id, Map.of("scope", List.of("read:invoices")));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("scope").toString()).isEqualTo("[\"read:invoices\"]");
        assertThat(realm.get(GRANTS + "/" + id).json()).isEqualTo(r.json());

        assertThat(realm.patch(GRANTS + "/" + id, Map.of("allow_all_scopes", true, "client_id", "svc-c", "audience", BILLING))
                .json().get("allow_all_scopes").asBoolean()).as("same client_id and audience may be repeated").isTrue();

        JsonNode e = assertError(realm.patch(GRANTS + "/" + id, Map.of("client_id", "svc-a")), 400,
                "client_id cannot be changed; delete the grant and create another");
        assertThat(e.get("field").asText()).isEqualTo("client_id");
        assertError(realm.patch(GRANTS + "/" + id, Map.of("audience", ORDERS)), 400,
                "audience cannot be changed; delete the grant and create another");
        assertError(realm.patch(GRANTS + "/" + id, Map.of("scope", List.of("write:orders"))), 400,
                "scope must be a subset of the resource server's scopes; \"" + BILLING + "\" does not define: write:orders");
        JsonNode stored = realm.get(GRANTS + "/" + id).json();
        assertThat(stored.get("client_id").asText()).isEqualTo("svc-c");
        assertThat(stored.get("scope").toString()).isEqualTo("[\"read:invoices\"]");
        assertThat(stored.get("allow_all_scopes").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("DELETE answers 204; the grant is gone (404 \"The grant does not exist.\" on GET, PATCH and DELETE)")
    void delete(TestRealm realm) {
        TestRealm.Client c = realm.createClient("svc-deleted-grant");
        String id = createGrant(realm, grant(c.clientId(), ORDERS, "read:orders")).get("id").asText();
        HttpResult r = realm.delete(GRANTS + "/" + id);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertError(realm.get(GRANTS + "/" + id), 404, "The grant does not exist.");
        assertError(realm.patch(GRANTS + "/" + id, Map.of("scope", List.of())), 404, "The grant does not exist.");
        assertError(realm.delete(GRANTS + "/" + id), 404, "The grant does not exist.");
    }

    @Test
    @DisplayName("GET lists grants ordered by client_id and audience, filtered by audience and client_id, paged like resource servers")
    void list(TestRealm realm) {
        for (String c : List.of("list-1", "list-2", "list-3")) {
            realm.createClient(c);
            createGrant(realm, grant(c, ORDERS, "read:orders"));
        }
        createGrant(realm, grant("list-1", BILLING));

        List<String> all = new ArrayList<>();
        realm.get(GRANTS + "?per_page=100").json().forEach(g -> all.add(g.get("client_id").asText() + " " + g.get("audience").asText()));
        assertThat(all).isSorted().contains("list-1 " + BILLING, "list-1 " + ORDERS, "list-2 " + ORDERS);

        List<String> ofClient = new ArrayList<>();
        realm.get(GRANTS + "?client_id=list-1").json().forEach(g -> ofClient.add(g.get("audience").asText()));
        assertThat(ofClient).containsExactly(ORDERS, BILLING);

        List<String> ofApi = new ArrayList<>();
        realm.get(GRANTS + "?audience=" + enc(ORDERS) + "&per_page=100").json().forEach(g -> ofApi.add(g.get("client_id").asText()));
        assertThat(ofApi).contains("list-1", "list-2", "list-3").doesNotContain("svc-b");

        JsonNode both = realm.get(GRANTS + "?client_id=list-2&audience=" + enc(ORDERS) + "&include_totals=true").json();
        assertThat(M2mRest.fieldNames(both)).containsExactly("start", "limit", "total", "client_grants");
        assertThat(both.get("total").asInt()).isEqualTo(1);
        assertThat(both.at("/client_grants/0/client_id").asText()).isEqualTo("list-2");

        JsonNode page = realm.get(GRANTS + "?page=1&per_page=2&include_totals=true").json();
        assertThat(page.get("start").asInt()).isEqualTo(2);
        assertThat(page.get("total").asInt()).isEqualTo(all.size());
        List<String> page1 = new ArrayList<>();
        page.get("client_grants").forEach(g -> page1.add(g.get("client_id").asText() + " " + g.get("audience").asText()));
        assertThat(page1).isEqualTo(all.subList(2, 4));

        assertThat(realm.get(GRANTS + "?client_id=nobody").json()).isEmpty();
        assertError(realm.get(GRANTS + "?per_page=500"), 400, "per_page must be a whole number from 1 to 100");
    }

    @Test
    @DisplayName("grants made in the console (component endpoint) are served by REST, and deleting the client removes its grants")
    void consoleAndClientLifecycle(TestRealm realm) {
        TestRealm.Client c = realm.createClient("svc-console");
        String id = realm.createGrant(c.clientId(), ORDERS, List.of("read:orders"), false);
        assertThat(realm.get(GRANTS + "/" + id).json().get("client_id").asText()).isEqualTo("svc-console");
        assertThat(realm.delete("/clients/" + c.id()).status()).isEqualTo(204);
        assertThat(realm.get(GRANTS + "/" + id).status()).isEqualTo(404);
        assertThat(realm.get(APIS + "/" + enc(ORDERS)).status()).isEqualTo(200);
    }
}
