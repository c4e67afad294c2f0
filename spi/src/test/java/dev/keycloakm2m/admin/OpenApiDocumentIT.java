package dev.keycloakm2m.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

/**
 * docs/openapi/m2m-admin-api.yaml against the live server: every documented operation is called with every
 * response status it documents, the server answers exactly that status, and every JSON body (and every request body
 * of a successful call) matches the documented schema, with exactly the documented fields.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The OpenAPI document describes the live M2M admin API")
class OpenApiDocumentIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String JSON = "application/json";

    private JsonNode doc;
    private OpenApiSchema schemas;
    private TestRealm realm;
    private AdminClient viewer;
    private AdminClient nobody;
    private String apiId;
    private String grantId;
    private TestRealm.Client clientA;
    private final Set<String> exercised = new TreeSet<>();

    @BeforeAll
    void setUp(TestRealm realm) throws IOException {
        doc = new YAMLMapper().readTree(Path.of(System.getProperty("m2m.openapi")).toFile());
        schemas = new OpenApiSchema(doc);
        this.realm = realm;
        clientA = realm.createClient("svc-a");
        realm.createClient("svc-b");
        apiId = M2mRest.createApi(realm, M2mRest.api("Orders", ORDERS, "read:orders", "write:orders")).get("id").asText();
        grantId = M2mRest.createGrant(realm, M2mRest.grant("svc-a", ORDERS, "read:orders")).get("id").asText();
        viewer = AdminUsers.create(realm, "viewer", "view-realm");
        nobody = AdminUsers.create(realm, "nobody");
    }

    /** Who calls: the realm's full admin, a view-realm admin, a user without admin roles, or no token. */
    enum Caller { ADMIN, VIEWER, NOBODY, ANONYMOUS }

    private HttpResult call(Caller caller, String method, String template, String path, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", JSON);
        if (contentType != null) headers.put("Content-Type", contentType);
        switch (caller) {
            case ADMIN -> headers.put("Authorization", "Bearer " + realm.admin().token());
            case VIEWER -> headers.put("Authorization", "Bearer " + viewer.token());
            case NOBODY -> headers.put("Authorization", "Bearer " + nobody.token());
            case ANONYMOUS -> { }
        }
        HttpResult r = Http.send(method, realm.admin().baseUrl() + "/admin/realms/" + realm.name() + "/m2m" + path, headers, body);
        assertDocumented(method, template, r, body);
        return r;
    }

    private HttpResult call(Caller caller, String method, String template, String path, Object body) {
        return call(caller, method, template, path, body == null ? null : JSON, body == null ? null : Http.json(body));
    }

    private void assertDocumented(String method, String template, HttpResult r, String requestBody) {
        String op = method + " " + template;
        JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase());
        assertThat(operation.isMissingNode()).as("%s is documented", op).isFalse();
        JsonNode response = operation.path("responses").path(String.valueOf(r.status()));
        assertThat(response.isMissingNode()).as("%s answered %s, which is not documented: %s", op, r.status(), r).isFalse();
        response = schemas.resolve(response);
        exercised.add(op + " " + r.status());

        JsonNode content = response.path("content").path(JSON);
        if (content.isMissingNode()) {
            assertThat(r.body()).as("%s %s has no documented body", op, r.status()).isEmpty();
        } else {
            assertThat(r.header("Content-Type").orElse("")).as("%s %s content type", op, r.status()).startsWith(JSON);
            assertThat(schemas.validate(r.json(), content.get("schema"), op + " " + r.status())).as("%s", r).isEmpty();
        }
        for (Iterator<String> it = response.path("headers").fieldNames(); it.hasNext(); ) {
            String header = it.next();
            assertThat(r.header(header)).as("%s %s header %s", op, r.status(), header).isPresent();
        }
        if (r.status() < 300 && requestBody != null) {
            JsonNode requestSchema = operation.at("/requestBody/content/application~1json/schema");
            assertThat(schemas.validate(Http.JSON.valueToTree(parse(requestBody)), requestSchema, op + " request"))
                    .as("the request body of a successful %s matches its documented schema", op).isEmpty();
        }
    }

    private static JsonNode parse(String body) {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Set<String> documented() {
        Set<String> all = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (op.getKey().equals("parameters")) continue;
                for (Iterator<String> statuses = op.getValue().path("responses").fieldNames(); statuses.hasNext(); ) {
                    all.add(op.getKey().toUpperCase() + " " + path.getKey() + " " + statuses.next());
                }
            }
        }
        return all;
    }

    @Test
    @DisplayName("the document is OpenAPI 3.0, every $ref resolves and every schema uses only what the checker understands")
    void wellFormed() {
        assertThat(doc.path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.at("/servers/0/url").asText()).endsWith("/admin/realms/{realm}/m2m");
        List<String> problems = new ArrayList<>();
        walk(doc, "", problems);
        assertThat(problems).isEmpty();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.at("/components/schemas").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            if (s.getValue().path("type").asText().equals("object")) {
                assertThat(s.getValue().path("additionalProperties").asBoolean(true)).as("%s is closed", s.getKey()).isFalse();
            }
        }
    }

    private void walk(JsonNode node, String where, List<String> problems) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                try {
                    schemas.resolve(node);
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": " + e.getMessage());
                }
            }
            node.fields().forEachRemaining(e -> walk(e.getValue(), where + "/" + e.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), where + "/" + i, problems);
        }
    }

    @Test
    @DisplayName("every documented operation answers every documented status, and nothing undocumented")
    void liveServerMatches() {
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        String apis = "/resource-servers";
        String api = "/resource-servers/{id}";
        String grants = "/client-grants";
        String grant = "/client-grants/{id}";
        String settings = "/settings";

        // resource servers
        call(Caller.ADMIN, "GET", apis, apis, null);
        call(Caller.ADMIN, "GET", apis, apis + "?include_totals=true&identifiers=" + M2mRest.enc(ORDERS), null);
        call(Caller.ADMIN, "GET", apis, apis + "?per_page=0", null);
        call(Caller.ANONYMOUS, "GET", apis, apis, null);
        call(Caller.NOBODY, "GET", apis, apis, null);
        Map<String, Object> full = M2mRest.api("Billing", "urn:billing", "read:invoices");
        full.put("token_lifetime", 3600);
        full.put("signing_alg", "RS256");
        full.put("token_dialect", "rfc9068_profile");
        full.put("subject_type_authorization", Map.of("client", Map.of("policy", "require_client_grant")));
        String billing = call(Caller.ADMIN, "POST", apis, apis, full).json().get("id").asText();
        call(Caller.ADMIN, "POST", apis, apis, Map.of("name", "X", "identifier", "urn:x", "is_system", false));
        call(Caller.ANONYMOUS, "POST", apis, apis, M2mRest.api("Y", "urn:y"));
        call(Caller.VIEWER, "POST", apis, apis, M2mRest.api("Y", "urn:y"));
        call(Caller.ADMIN, "POST", apis, apis, M2mRest.api("Orders again", ORDERS));
        call(Caller.ADMIN, "POST", apis, apis, JSON, huge);
        call(Caller.ADMIN, "POST", apis, apis, "text/plain", "{}");

        call(Caller.ADMIN, "GET", api, apis + "/" + apiId, null);
        call(Caller.ADMIN, "GET", api, apis + "/" + M2mRest.enc(ORDERS), null);
        call(Caller.ANONYMOUS, "GET", api, apis + "/" + apiId, null);
        call(Caller.NOBODY, "GET", api, apis + "/" + apiId, null);
        call(Caller.ADMIN, "GET", api, apis + "/nothing", null);
        call(Caller.ADMIN, "PATCH", api, apis + "/" + apiId, Map.of("name", "Orders API", "scopes",
                List.of(Map.of("value", "read:orders", "description", "Read"), Map.of("value", "write:orders"))));
        call(Caller.ADMIN, "PATCH", api, apis + "/" + apiId, Map.of("identifier", "urn:moved"));
        call(Caller.ANONYMOUS, "PATCH", api, apis + "/" + apiId, Map.of("name", "x"));
        call(Caller.VIEWER, "PATCH", api, apis + "/" + apiId, Map.of("name", "x"));
        call(Caller.ADMIN, "PATCH", api, apis + "/nothing", Map.of("name", "x"));
        call(Caller.ADMIN, "PATCH", api, apis + "/" + apiId, JSON, huge);
        call(Caller.ADMIN, "PATCH", api, apis + "/" + apiId, "text/plain", "{}");

        // client grants
        call(Caller.ADMIN, "GET", grants, grants, null);
        call(Caller.ADMIN, "GET", grants, grants + "?include_totals=true&client_id=svc-a&audience=" + M2mRest.enc(ORDERS), null);
        call(Caller.ADMIN, "GET", grants, grants + "?page=x", null);
        call(Caller.ANONYMOUS, "GET", grants, grants, null);
        call(Caller.NOBODY, "GET", grants, grants, null);
        Map<String, Object> newGrant = new LinkedHashMap<>(M2mRest.grant("svc-b", ORDERS, "read:orders"));
        newGrant.put("allow_all_scopes", false);
        String second = call(Caller.ADMIN, "POST", grants, grants, newGrant).json().get("id").asText();
        call(Caller.ADMIN, "POST", grants, grants, M2mRest.grant("svc-b", "urn:billing", "delete:everything"));
        call(Caller.ANONYMOUS, "POST", grants, grants, M2mRest.grant("svc-b", "urn:billing"));
        call(Caller.VIEWER, "POST", grants, grants, M2mRest.grant("svc-b", "urn:billing"));
        call(Caller.ADMIN, "POST", grants, grants, M2mRest.grant("ghost", "urn:billing"));
        call(Caller.ADMIN, "POST", grants, grants, M2mRest.grant("svc-a", ORDERS));
        call(Caller.ADMIN, "POST", grants, grants, JSON, huge);
        call(Caller.ADMIN, "POST", grants, grants, "text/plain", "{}");

        call(Caller.ADMIN, "GET", grant, grants + "/" + grantId, null);
        call(Caller.ANONYMOUS, "GET", grant, grants + "/" + grantId, null);
        call(Caller.NOBODY, "GET", grant, grants + "/" + grantId, null);
        call(Caller.ADMIN, "GET", grant, grants + "/nothing", null);
        call(Caller.ADMIN, "PATCH", grant, grants + "/" + grantId, Map.of("scope", List.of("read:orders", "write:orders")));
        call(Caller.ADMIN, "PATCH", grant, grants + "/" + grantId, Map.of("client_id", "svc-b"));
        call(Caller.ANONYMOUS, "PATCH", grant, grants + "/" + grantId, Map.of("scope", List.of()));
        call(Caller.VIEWER, "PATCH", grant, grants + "/" + grantId, Map.of("scope", List.of()));
        call(Caller.ADMIN, "PATCH", grant, grants + "/nothing", Map.of("scope", List.of()));
        call(Caller.ADMIN, "PATCH", grant, grants + "/" + grantId, JSON, huge);
        call(Caller.ADMIN, "PATCH", grant, grants + "/" + grantId, "text/plain", "{}");
        call(Caller.ANONYMOUS, "DELETE", grant, grants + "/" + second, null);
        call(Caller.VIEWER, "DELETE", grant, grants + "/" + second, null);
        call(Caller.ADMIN, "DELETE", grant, grants + "/" + second, null);
        call(Caller.ADMIN, "DELETE", grant, grants + "/" + second, null);

        // settings
        call(Caller.ADMIN, "GET", settings, settings, null);
        call(Caller.ANONYMOUS, "GET", settings, settings, null);
        call(Caller.NOBODY, "GET", settings, settings, null);
        call(Caller.ADMIN, "PATCH", settings, settings, Map.of("default_audience", ORDERS, "error_style", "auth0"));
        call(Caller.ADMIN, "PATCH", settings, settings, Map.of("error_style", "verbose"));
        call(Caller.ANONYMOUS, "PATCH", settings, settings, Map.of("error_style", "rfc"));
        call(Caller.VIEWER, "PATCH", settings, settings, Map.of("error_style", "rfc"));
        call(Caller.ADMIN, "PATCH", settings, settings, JSON, huge);
        call(Caller.ADMIN, "PATCH", settings, settings, "text/plain", "{}");
        call(Caller.ADMIN, "GET", settings, settings, null);
        call(Caller.ADMIN, "PATCH", settings, settings, Map.of("default_token_quota",
                Map.of("clients", Map.of("client_credentials", Map.of("per_hour", 100, "enforce", false)))));

        // token quotas and usage (svc-b: a client without a quota of its own, under the realm default set above)
        String quota = "/clients/{client_id}/token-quota";
        String usage = "/clients/{client_id}/token-usage";
        String usages = "/token-usage";
        String svcA = "/clients/svc-a/token-quota";
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("per_hour", 50);
        limits.put("per_day", null);
        limits.put("enforce", true);
        call(Caller.ADMIN, "GET", quota, svcA, null);
        call(Caller.ANONYMOUS, "GET", quota, svcA, null);
        call(Caller.NOBODY, "GET", quota, svcA, null);
        call(Caller.ADMIN, "PUT", quota, svcA, Map.of("client_credentials", limits));
        call(Caller.ADMIN, "PUT", quota, svcA, Map.of("client_credentials", Map.of("per_hour", 60, "per_day", 600)));
        call(Caller.ADMIN, "GET", quota, svcA, null);
        call(Caller.ADMIN, "PUT", quota, svcA, Map.of("client_credentials", Map.of("per_hour", 0)));
        call(Caller.ANONYMOUS, "PUT", quota, svcA, Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.VIEWER, "PUT", quota, svcA, Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.ADMIN, "PUT", quota, "/clients/ghost/token-quota", Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.ADMIN, "PUT", quota, svcA, JSON, huge);
        call(Caller.ADMIN, "PUT", quota, svcA, "text/plain", "{}");
        assertThat(realm.clientCredentials(clientA, "audience", ORDERS).status()).isEqualTo(200);

        call(Caller.ADMIN, "GET", usage, "/clients/svc-a/token-usage", null);
        call(Caller.ADMIN, "GET", usage, "/clients/svc-b/token-usage", null);
        call(Caller.ANONYMOUS, "GET", usage, "/clients/svc-a/token-usage", null);
        call(Caller.NOBODY, "GET", usage, "/clients/svc-a/token-usage", null);
        call(Caller.ADMIN, "GET", usage, "/clients/ghost/token-usage", null);
        call(Caller.ADMIN, "GET", usages, usages, null);
        call(Caller.ADMIN, "GET", usages, usages + "?include_totals=true&sort=per_hour:-1&per_page=1", null);
        call(Caller.ADMIN, "GET", usages, usages + "?sort=used", null);
        call(Caller.ANONYMOUS, "GET", usages, usages, null);
        call(Caller.NOBODY, "GET", usages, usages, null);

        call(Caller.ANONYMOUS, "DELETE", quota, svcA, null);
        call(Caller.VIEWER, "DELETE", quota, svcA, null);
        call(Caller.ADMIN, "DELETE", quota, svcA, null);
        call(Caller.ADMIN, "DELETE", quota, svcA, null);
        Map<String, Object> noDefault = new HashMap<>();
        noDefault.put("default_token_quota", null);
        call(Caller.ADMIN, "PATCH", settings, settings, noDefault);

        // rate-limit policies
        String policies = "/rate-limit-policies";
        String policy = "/rate-limit-policies/{id}";
        call(Caller.ADMIN, "GET", policies, policies, null);
        call(Caller.ADMIN, "GET", policies, policies + "?per_page=0", null);
        call(Caller.ANONYMOUS, "GET", policies, policies, null);
        call(Caller.NOBODY, "GET", policies, policies, null);
        Map<String, Object> newPolicy = new LinkedHashMap<>();
        newPolicy.put("resource", "oauth_authentication_api");
        newPolicy.put("consumer", "client");
        newPolicy.put("consumer_selector", "client_id:svc-b");
        newPolicy.put("action", "block");
        newPolicy.put("limit", 100);
        newPolicy.put("burst", 200);
        String policyId = call(Caller.ADMIN, "POST", policies, policies, newPolicy).json().get("id").asText();
        call(Caller.ADMIN, "POST", policies, policies, Map.of("consumer_selector", "default", "limit", 50));
        call(Caller.ADMIN, "GET", policies, policies + "?include_totals=true", null);
        call(Caller.ADMIN, "POST", policies, policies, Map.of("consumer_selector", "client_id:ghost", "limit", 5));
        call(Caller.ANONYMOUS, "POST", policies, policies, Map.of("consumer_selector", "default", "limit", 5));
        call(Caller.VIEWER, "POST", policies, policies, Map.of("consumer_selector", "default", "limit", 5));
        call(Caller.ADMIN, "POST", policies, policies, JSON, huge);
        call(Caller.ADMIN, "POST", policies, policies, "text/plain", "{}");
        call(Caller.ADMIN, "GET", policy, policies + "/" + policyId, null);
        call(Caller.ANONYMOUS, "GET", policy, policies + "/" + policyId, null);
        call(Caller.NOBODY, "GET", policy, policies + "/" + policyId, null);
        call(Caller.ADMIN, "GET", policy, policies + "/nothing", null);
        call(Caller.ADMIN, "PATCH", policy, policies + "/" + policyId, Map.of("action", "log", "limit", 1000));
        Map<String, Object> resetBurst = new HashMap<>();
        resetBurst.put("burst", null);
        call(Caller.ADMIN, "PATCH", policy, policies + "/" + policyId, resetBurst);
        call(Caller.ADMIN, "PATCH", policy, policies + "/" + policyId, Map.of("limit", -1));
        call(Caller.ANONYMOUS, "PATCH", policy, policies + "/" + policyId, Map.of("limit", 1));
        call(Caller.VIEWER, "PATCH", policy, policies + "/" + policyId, Map.of("limit", 1));
        call(Caller.ADMIN, "PATCH", policy, policies + "/nothing", Map.of("limit", 1));
        call(Caller.ADMIN, "PATCH", policy, policies + "/" + policyId, JSON, huge);
        call(Caller.ADMIN, "PATCH", policy, policies + "/" + policyId, "text/plain", "{}");
        call(Caller.ANONYMOUS, "DELETE", policy, policies + "/" + policyId, null);
        call(Caller.VIEWER, "DELETE", policy, policies + "/" + policyId, null);
        call(Caller.ADMIN, "DELETE", policy, policies + "/" + policyId, null);
        call(Caller.ADMIN, "DELETE", policy, policies + "/" + policyId, null);
        for (JsonNode p : realm.get("/m2m" + policies).json()) realm.delete("/m2m" + policies + "/" + p.get("id").asText());
        // organizations (Keycloak's own, enabled for the realm): associations, quota and usage of one
        assertThat(realm.put("", Map.of("organizationsEnabled", true)).status()).isEqualTo(204);
        assertThat(realm.post("/organizations", Map.of("name", "Acme", "alias", "acme", "enabled", true)).status()).isEqualTo(201);
        String orgGrants = "/organizations/{org}/client-grants";
        String orgGrant = "/organizations/{org}/client-grants/{grant_id}";
        String orgQuota = "/organizations/{org}/token-quota";
        String orgUsage = "/organizations/{org}/token-usage";
        String grantOrgs = "/client-grants/{id}/organizations";
        String acmeGrants = "/organizations/acme/client-grants";
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, Map.of("grant_id", grantId));
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, Map.of("grant_id", grantId));
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, Map.of("grant_id", "nothing"));
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, Map.of());
        call(Caller.ANONYMOUS, "POST", orgGrants, acmeGrants, Map.of("grant_id", grantId));
        call(Caller.VIEWER, "POST", orgGrants, acmeGrants, Map.of("grant_id", grantId));
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, JSON, huge);
        call(Caller.ADMIN, "POST", orgGrants, acmeGrants, "text/plain", "{}");
        call(Caller.ADMIN, "GET", orgGrants, acmeGrants, null);
        call(Caller.ADMIN, "GET", orgGrants, acmeGrants + "?include_totals=true&client_id=svc-a&audience=" + M2mRest.enc(ORDERS), null);
        call(Caller.ADMIN, "GET", orgGrants, acmeGrants + "?page=x", null);
        call(Caller.ANONYMOUS, "GET", orgGrants, acmeGrants, null);
        call(Caller.NOBODY, "GET", orgGrants, acmeGrants, null);
        call(Caller.ADMIN, "GET", orgGrants, "/organizations/nope/client-grants", null);
        call(Caller.ADMIN, "GET", grantOrgs, grants + "/" + grantId + "/organizations", null);
        call(Caller.ADMIN, "GET", grantOrgs, grants + "/" + grantId + "/organizations?include_totals=true", null);
        call(Caller.ADMIN, "GET", grantOrgs, grants + "/" + grantId + "/organizations?per_page=0", null);
        call(Caller.ANONYMOUS, "GET", grantOrgs, grants + "/" + grantId + "/organizations", null);
        call(Caller.NOBODY, "GET", grantOrgs, grants + "/" + grantId + "/organizations", null);
        call(Caller.ADMIN, "GET", grantOrgs, grants + "/nothing/organizations", null);

        String acmeQuota = "/organizations/acme/token-quota";
        call(Caller.ADMIN, "GET", orgQuota, acmeQuota, null);
        call(Caller.ADMIN, "PUT", orgQuota, acmeQuota, Map.of("client_credentials", limits));
        call(Caller.ADMIN, "PUT", orgQuota, acmeQuota, Map.of("client_credentials", Map.of("per_hour", 60, "per_day", 600)));
        call(Caller.ADMIN, "GET", orgQuota, acmeQuota, null);
        call(Caller.ANONYMOUS, "GET", orgQuota, acmeQuota, null);
        call(Caller.NOBODY, "GET", orgQuota, acmeQuota, null);
        call(Caller.ADMIN, "PUT", orgQuota, acmeQuota, Map.of("client_credentials", Map.of("per_hour", 0)));
        call(Caller.ANONYMOUS, "PUT", orgQuota, acmeQuota, Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.VIEWER, "PUT", orgQuota, acmeQuota, Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.ADMIN, "PUT", orgQuota, "/organizations/nope/token-quota", Map.of("client_credentials", Map.of("per_hour", 1)));
        call(Caller.ADMIN, "PUT", orgQuota, acmeQuota, JSON, huge);
        call(Caller.ADMIN, "PUT", orgQuota, acmeQuota, "text/plain", "{}");
        call(Caller.ADMIN, "GET", orgUsage, "/organizations/acme/token-usage", null);
        call(Caller.ANONYMOUS, "GET", orgUsage, "/organizations/acme/token-usage", null);
        call(Caller.NOBODY, "GET", orgUsage, "/organizations/acme/token-usage", null);
        call(Caller.ADMIN, "GET", orgUsage, "/organizations/nope/token-usage", null);
        call(Caller.ANONYMOUS, "DELETE", orgQuota, acmeQuota, null);
        call(Caller.VIEWER, "DELETE", orgQuota, acmeQuota, null);
        call(Caller.ADMIN, "DELETE", orgQuota, acmeQuota, null);
        call(Caller.ADMIN, "DELETE", orgQuota, acmeQuota, null);
        Map<String, Object> orgSettings = new LinkedHashMap<>();
        orgSettings.put("default_token_quota", Map.of("organizations", Map.of("client_credentials", Map.of("per_day", 500))));
        orgSettings.put("allow_organization_name_in_authentication_api", true);
        call(Caller.ADMIN, "PATCH", settings, settings, orgSettings);
        call(Caller.ADMIN, "GET", orgUsage, "/organizations/acme/token-usage", null);
        call(Caller.ADMIN, "PATCH", settings, settings, noDefault);

        call(Caller.ANONYMOUS, "DELETE", orgGrant, acmeGrants + "/" + grantId, null);
        call(Caller.VIEWER, "DELETE", orgGrant, acmeGrants + "/" + grantId, null);
        call(Caller.ADMIN, "DELETE", orgGrant, acmeGrants + "/" + grantId, null);
        call(Caller.ADMIN, "DELETE", orgGrant, acmeGrants + "/" + grantId, null);
        Map<String, Object> orgUsageGrant = new LinkedHashMap<>();
        orgUsageGrant.put("organization_usage", "require");
        orgUsageGrant.put("allow_any_organization", true);
        call(Caller.ADMIN, "PATCH", grant, grants + "/" + grantId, orgUsageGrant);
        call(Caller.ADMIN, "GET", grants, grants + "?allow_any_organization=true", null);
        // Auth0 import and export
        String imports = "/import";
        String export = "/export";
        String tenant = Http.json(Map.of(
                "resource_servers", List.of(Map.of("name", "Imported", "identifier", "urn:imported",
                        "scopes", List.of(Map.of("value", "read", "description", "Read")))),
                "clients", List.of(Map.of("name", "svc-a", "app_type", "non_interactive")),
                "client_grants", List.of(Map.of("client_id", "svc-a", "audience", "urn:imported", "scope", List.of("read")))));
        call(Caller.ADMIN, "POST", imports, imports + "?dry_run=true", JSON, tenant);
        call(Caller.ADMIN, "POST", imports, imports, JSON, tenant);
        call(Caller.ADMIN, "POST", imports, imports, JSON, "{\"resource_servers\": {}}");
        call(Caller.ANONYMOUS, "POST", imports, imports, JSON, tenant);
        call(Caller.VIEWER, "POST", imports, imports, JSON, tenant);
        call(Caller.ADMIN, "POST", imports, imports, "text/plain", "x");
        call(Caller.ADMIN, "GET", export, export, null);
        call(Caller.ADMIN, "GET", export, export + "?format=xml", null);
        call(Caller.ANONYMOUS, "GET", export, export, null);
        call(Caller.NOBODY, "GET", export, export, null);

        // deleting an API last: its grants go with it
        call(Caller.ANONYMOUS, "DELETE", api, apis + "/" + billing, null);
        call(Caller.VIEWER, "DELETE", api, apis + "/" + billing, null);
        call(Caller.ADMIN, "DELETE", api, apis + "/" + billing, null);
        call(Caller.ADMIN, "DELETE", api, apis + "/" + billing, null);

        assertThat(exercised).as("documented operations and statuses the live server was seen to answer").isEqualTo(documented());
    }
}
