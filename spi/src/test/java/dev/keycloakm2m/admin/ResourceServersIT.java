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

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@DisplayName("Admin REST /m2m/resource-servers: APIs in Auth0's resource server shape")
class ResourceServersIT {

    @Test
    @DisplayName("POST answers 201 with the created API (defaults applied) and a Location that GET answers with the same object")
    void create(TestRealm realm) {
        Map<String, Object> body = api("Catalog", "https://api.example.com/catalog", "read:orders", "write:orders");
        HttpResult r = realm.post(APIS, body);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode created = r.json();
        assertThat(M2mRest.fieldNames(created)).containsExactlyElementsOf(M2mRest.API_FIELDS);
        assertThat(created.get("name").asText()).isEqualTo("Catalog");
        assertThat(created.get("identifier").asText()).isEqualTo("https://api.example.com/catalog");
        assertThat(created.get("scopes").toString()).isEqualTo("[{\"value\":\"read:orders\",\"description\":\"Allows read:orders\"},"
                + "{\"value\":\"write:orders\",\"description\":\"Allows write:orders\"}]");
        assertThat(created.get("signing_alg").asText()).isEqualTo("RS256");
        assertThat(created.get("token_lifetime").asInt()).isEqualTo(86400);
        assertThat(created.get("token_dialect").asText()).isEqualTo("access_token");
        assertThat(created.at("/subject_type_authorization/client/policy").asText()).isEqualTo("require_client_grant");

        String id = created.get("id").asText();
        assertThat(r.requireHeader("Location")).isEqualTo(realm.admin().baseUrl() + "/admin/realms/" + realm.name() + APIS + "/" + id);
        HttpResult get = realm.admin().get(r.requireHeader("Location").substring(realm.admin().baseUrl().length()));
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.json()).isEqualTo(created);
    }

    @Test
    @DisplayName("every field can be set on create; the API is the console's component, with the same values")
    void allFieldsAndConsoleComponent(TestRealm realm) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("ecdsaEllipticCurveKey", List.of("P-256"));
        keys.put("priority", List.of("100"));
        assertThat(realm.postComponent("org.keycloak.keys.KeyProvider", "ecdsa-generated", keys).status()).isEqualTo(201);
        Map<String, Object> body = api("Billing", "urn:billing", "read:invoices");
        body.put("token_lifetime", 600);
        body.put("signing_alg", "ES256");
        body.put("token_dialect", "rfc9068_profile_authz");
        body.put("subject_type_authorization", Map.of("client", Map.of("policy", "deny_all")));
        JsonNode created = createApi(realm, body);
        assertThat(created.get("token_lifetime").asInt()).isEqualTo(600);
        assertThat(created.get("signing_alg").asText()).isEqualTo("ES256");
        assertThat(created.get("token_dialect").asText()).isEqualTo("rfc9068_profile_authz");
        assertThat(created.at("/subject_type_authorization/client/policy").asText()).isEqualTo("deny_all");

        // stored in the m2m tables, not as a realm component
        assertThat(realm.get(APIS + "/" + created.get("id").asText()).json()).isEqualTo(created);
        assertThat(realm.get("/components?type=org.keycloak.services.ui.extend.UiPageProvider").json()).isEmpty();
    }

    @Test
    @DisplayName("an API created through the console's component endpoint is listed and served by REST")
    void consoleCreatedVisible(TestRealm realm) {
        String id = realm.createApi("Console API", "urn:console", Map.of("a:b", "A and B"), null);
        JsonNode api = realm.get(APIS + "/" + id).json();
        assertThat(api.get("identifier").asText()).isEqualTo("urn:console");
        assertThat(api.get("scopes").toString()).isEqualTo("[{\"value\":\"a:b\",\"description\":\"A and B\"}]");
        assertThat(realm.get(APIS + "?identifiers=urn:console").json().get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    @DisplayName("{id} may be the id or the URL-encoded identifier, slashes and all, for GET, PATCH and DELETE")
    void idOrIdentifier(TestRealm realm) {
        String identifier = "https://api.example.com/orders";
        String id = createApi(realm, api("Orders", identifier, "read")).get("id").asText();
        String path = APIS + "/" + enc(identifier);
        assertThat(path).endsWith("/https%3A%2F%2Fapi.example.com%2Forders");

        HttpResult get = realm.get(path);
        assertThat(get.status()).as("%s", get).isEqualTo(200);
        assertThat(get.json().get("id").asText()).isEqualTo(id);

        HttpResult patched = realm.patch(path, Map.of("name", "Orders API"));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        assertThat(realm.get(APIS + "/" + id).json().get("name").asText()).isEqualTo("Orders API");

        assertThat(realm.delete(path).status()).isEqualTo(204);
        assertError(realm.get(APIS + "/" + id), 404, "Resource server not found");
    }

    @Test
    @DisplayName("unknown id or identifier: 404 \"Resource server not found\" for GET, PATCH and DELETE")
    void notFound(TestRealm realm) {
        for (String id : List.of("no-such-id", enc("https://api.example.com/nothing"))) {
            assertError(realm.get(APIS + "/" + id), 404, "Resource server not found");
            assertError(realm.patch(APIS + "/" + id, Map.of("name", "x")), 404, "Resource server not found");
            assertError(realm.delete(APIS + "/" + id), 404, "Resource server not found");
        }
    }

    @Test
    @DisplayName("a second API with the same identifier: 409 with Auth0's message, nothing created")
    void duplicate(TestRealm realm) {
        createApi(realm, api("Payments", "urn:payments"));
        int before = realm.get(APIS + "?per_page=100").json().size();
        JsonNode error = assertError(realm.post(APIS, api("Payments again", "urn:payments")), 409,
                "A resource server with the same identifier already exists.");
        assertThat(error.get("field").asText()).isEqualTo("identifier");
        assertThat(realm.get(APIS + "?per_page=100").json().size()).isEqualTo(before);
    }

    @Test
    @DisplayName("PATCH merges the body into the stored API and answers 200 with the result; absent fields keep their values")
    void patchMerges(TestRealm realm) {
        Map<String, Object> body = api("Shipping", "urn:shipping", "read", "write");
        body.put("token_lifetime", 900);
        String id = createApi(realm, body).get("id").asText();

        HttpResult r = realm.patch(APIS + "/" + id, Map.of("name", "Shipping API", "scopes",
                List.of(Map.of("value", "read"), Map.of("value", "track", "description", "Track parcels"))));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode patched = r.json();
        assertThat(patched.get("name").asText()).isEqualTo("Shipping API");
        assertThat(patched.get("scopes").toString()).isEqualTo("[{\"value\":\"read\",\"description\":\"\"},"
                + "{\"value\":\"track\",\"description\":\"Track parcels\"}]");
        assertThat(patched.get("token_lifetime").asInt()).isEqualTo(900);
        assertThat(patched.get("identifier").asText()).isEqualTo("urn:shipping");
        assertThat(realm.get(APIS + "/" + id).json()).isEqualTo(patched);

        Map<String, Object> reset = new LinkedHashMap<>();
        reset.put("token_lifetime", null);
        assertThat(realm.patch(APIS + "/" + id, reset).json().get("token_lifetime").asInt()).as("null resets to the default").isEqualTo(86400);
    }

    @Test
    @DisplayName("PATCH may repeat the identifier but not change it: 400 naming identifier, nothing changed")
    void identifierImmutable(TestRealm realm) {
        String id = createApi(realm, api("Fixed", "urn:fixed")).get("id").asText();
        assertThat(realm.patch(APIS + "/" + id, Map.of("identifier", "urn:fixed", "name", "Fixed 2")).status()).isEqualTo(200);
        JsonNode error = assertError(realm.patch(APIS + "/" + id, Map.of("identifier", "urn:moved", "name", "Moved")), 400,
                "identifier cannot be changed once the API is created");
        assertThat(error.get("field").asText()).isEqualTo("identifier");
        JsonNode stored = realm.get(APIS + "/" + id).json();
        assertThat(stored.get("identifier").asText()).isEqualTo("urn:fixed");
        assertThat(stored.get("name").asText()).isEqualTo("Fixed 2");
    }

    @Test
    @DisplayName("unknown fields and wrong types: 400 naming the field, on POST and PATCH")
    void shapeErrors(TestRealm realm) {
        String id = createApi(realm, api("Shape", "urn:shape")).get("id").asText();
        Map<String, Object> unknown = api("X", "urn:x");
        unknown.put("allow_offline_access", true);
        JsonNode e = realm.post(APIS, unknown).json();
        assertThat(e.get("field").asText()).isEqualTo("allow_offline_access");
        assertThat(e.get("errorMessage").asText()).startsWith("Unknown field: allow_offline_access (allowed: id, identifier, name, scopes, ");
        assertThat(realm.post(APIS, unknown).status()).isEqualTo(400);

        Map<String, Object> wrongType = api("X", "urn:x");
        wrongType.put("token_lifetime", "3600");
        assertError(realm.post(APIS, wrongType), 400, "token_lifetime must be an integer");
        assertError(realm.patch(APIS + "/" + id, Map.of("scopes", List.of("read"))), 400, "scopes[0] must be a JSON object");
        assertError(realm.patch(APIS + "/" + id, Map.of("subject_type_authorization", Map.of("user", Map.of("policy", "allow_all")))),
                400, "Unknown field: subject_type_authorization.user (allowed: client)");
        assertError(realm.post(APIS, Map.of("id", "mine", "name", "X", "identifier", "urn:x")), 400,
                "id is assigned by the server and cannot be set");
        assertThat(realm.get(APIS + "?identifiers=urn:x").json()).isEmpty();
    }

    @Test
    @DisplayName("values the validator refuses: 400 with the first problem as errorMessage and every problem under errors")
    void validation(TestRealm realm) {
        Map<String, Object> body = api("A <b>", "urn:invalid");
        body.put("token_lifetime", 5);
        body.put("signing_alg", "HS256");
        JsonNode error = assertError(realm.post(APIS, body), 400, "name must not contain < or >");
        assertThat(error.get("field").asText()).isEqualTo("name");
        List<String> fields = new ArrayList<>();
        error.get("errors").forEach(p -> fields.add(p.get("field").asText()));
        assertThat(fields).containsExactly("name", "token_lifetime", "signing_alg");

        assertError(realm.post(APIS, Map.of("name", "No identifier")), 400, "identifier is required");
        assertError(realm.post(APIS, Map.of("name", "PS", "identifier", "urn:ps", "signing_alg", "PS256")), 400,
                "signing_alg PS256: the realm has no active PS256 signing key (add a key provider for it under Realm settings > Keys)");
        assertError(realm.post(APIS, Map.of("name", "Dialect", "identifier", "urn:d", "token_dialect", "jwt")), 400,
                "token_dialect must be one of: access_token, access_token_authz, rfc9068_profile, rfc9068_profile_authz");
        assertError(realm.post(APIS, Map.of("name", "Policy", "identifier", "urn:p",
                "subject_type_authorization", Map.of("client", Map.of("policy", "allow_all")))), 400,
                "client_policy must be one of: require_client_grant, deny_all");
    }

    @Test
    @DisplayName("DELETE answers 204 and removes the API's client grants with it")
    void deleteCascades(TestRealm realm) {
        TestRealm.Client client = realm.createClient("svc-delete");
        String identifier = "https://api.example.com/doomed";
        String id = createApi(realm, api("Doomed", identifier, "read")).get("id").asText();
        String grantId = createGrant(realm, grant(client.clientId(), identifier, "read")).get("id").asText();

        HttpResult r = realm.delete(APIS + "/" + id);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertError(realm.get(APIS + "/" + id), 404, "Resource server not found");
        assertThat(realm.get(GRANTS + "/" + grantId).status()).isEqualTo(404);
        assertThat(realm.get(GRANTS + "?audience=" + enc(identifier)).json()).isEmpty();
    }

    @Test
    @DisplayName("paging: page and per_page cut the identifier-ordered list; include_totals wraps it in {start, limit, total, resource_servers}")
    void paging(TestRealm realm) {
        for (int i = 0; i < 5; i++) createApi(realm, api("Paged " + i, "urn:paged:" + i));
        List<String> all = new ArrayList<>();
        realm.get(APIS + "?per_page=100").json().forEach(a -> all.add(a.get("identifier").asText()));
        assertThat(all).isSorted().hasSizeGreaterThanOrEqualTo(5);

        List<String> page1 = new ArrayList<>();
        realm.get(APIS + "?page=1&per_page=2").json().forEach(a -> page1.add(a.get("identifier").asText()));
        assertThat(page1).isEqualTo(all.subList(2, 4));

        JsonNode totals = realm.get(APIS + "?page=1&per_page=2&include_totals=true").json();
        assertThat(M2mRest.fieldNames(totals)).containsExactly("start", "limit", "total", "resource_servers");
        assertThat(totals.get("start").asInt()).isEqualTo(2);
        assertThat(totals.get("limit").asInt()).isEqualTo(2);
        assertThat(totals.get("total").asInt()).isEqualTo(all.size());
        assertThat(totals.get("resource_servers").size()).isEqualTo(2);

        assertThat(realm.get(APIS + "?page=1000").json()).isEmpty();
        assertThat(realm.get(APIS + "?include_totals=true").json().get("limit").asInt()).as("default per_page").isEqualTo(50);
        assertError(realm.get(APIS + "?per_page=0"), 400, "per_page must be a whole number from 1 to 100");
        assertError(realm.get(APIS + "?per_page=101"), 400, "per_page must be a whole number from 1 to 100");
        assertError(realm.get(APIS + "?page=-1"), 400, "page must be a whole number from 0");
        assertError(realm.get(APIS + "?include_totals=yes"), 400, "include_totals must be true or false");
    }

    @Test
    @DisplayName("identifiers filters by exact identifier and may repeat (at most 10); unknown identifiers are simply absent")
    void identifiersFilter(TestRealm realm) {
        createApi(realm, api("F1", "https://api.example.com/f1"));
        createApi(realm, api("F2", "https://api.example.com/f2"));
        createApi(realm, api("F3", "https://api.example.com/f3"));
        List<String> found = new ArrayList<>();
        realm.get(APIS + "?identifiers=" + enc("https://api.example.com/f3") + "&identifiers=" + enc("https://api.example.com/f1")
                + "&identifiers=urn:none").json().forEach(a -> found.add(a.get("identifier").asText()));
        assertThat(found).containsExactly("https://api.example.com/f1", "https://api.example.com/f3");

        StringBuilder eleven = new StringBuilder("?");
        for (int i = 0; i < 11; i++) eleven.append("identifiers=urn:").append(i).append('&');
        assertError(realm.get(APIS + eleven), 400, "at most 10 identifiers per request");
    }
}
