package dev.keycloakm2m.auth0;

import static dev.keycloakm2m.auth0.Auth0Files.JSON;
import static dev.keycloakm2m.auth0.Auth0Files.YAML;
import static dev.keycloakm2m.auth0.Auth0Files.importTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 18 (the Auth0 importer carries organizations): a grant's {@code organization_usage} and
 * {@code allow_any_organization}, and the Deploy CLI's {@code organizations} (name = the Keycloak organization's alias,
 * {@code client_grants} by client, {@code token_quota}) imported, exported and imported again unchanged.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("POST /m2m/import with organizations")
class Auth0ImportOrganizationsIT {

    static final String ORDERS = "https://orders.example/";
    static final String TENANT = """
            {"resource_servers": [{"name": "Orders", "identifier": "https://orders.example/", "scopes": [{"value": "read:orders"}]}],
             "clients": [{"name": "svc-org", "client_id": "AUTH0ORG1", "app_type": "non_interactive"},
                         {"name": "svc-plain", "client_id": "AUTH0ORG2", "app_type": "non_interactive"}],
             "client_grants": [
               {"client_id": "AUTH0ORG1", "audience": "https://orders.example/", "scope": ["read:orders"],
                "organization_usage": "require", "allow_any_organization": false},
               {"client_id": "AUTH0ORG2", "audience": "https://orders.example/", "scope": ["read:orders"]}],
             "organizations": [
               {"name": "acme", "display_name": "Acme Inc.", "client_grants": [{"client_id": "svc-org"}],
                "token_quota": {"client_credentials": {"per_hour": 5}}}]}
            """;
    static final String TENANT_YAML = """
            resourceServers:
              - name: Orders
                identifier: https://orders.example/
                scopes:
                  - value: read:orders
            clients:
              - name: svc-org
                app_type: non_interactive
              - name: svc-plain
                app_type: non_interactive
            clientGrants:
              - client_id: svc-org
                audience: https://orders.example/
                scope: [read:orders]
                organization_usage: require
              - client_id: svc-plain
                audience: https://orders.example/
                scope: [read:orders]
            organizations:
              - name: acme
                display_name: Acme Inc.
                client_grants:
                  - client_id: svc-org
                token_quota:
                  client_credentials:
                    per_hour: 5
            """;

    TestRealm realm;
    String acme;
    Client svcOrg;

    @BeforeAll
    void organizations(TestRealm realm) {
        this.realm = realm;
        realm.enableOrganizations();
        acme = realm.createOrganization("Acme Inc.", "acme");
    }

    static List<String> actions(JsonNode plan, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : plan.path(kind)) out.add(e.get("key").asText() + "=" + e.get("action").asText());
        return out;
    }

    String grantId(String clientId) {
        return realm.get("/m2m/client-grants?client_id=" + clientId).json().get(0).get("id").asText();
    }

    @Test
    @Order(1)
    @DisplayName("the grant's organization fields and the organization's grants and quota are imported; display_name is listed as unsupported")
    void imported() {
        HttpResult r = importTenant(realm, JSON, TENANT, "create_missing_clients=true");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode plan = r.json();
        assertThat(actions(plan, "organizations")).containsExactly("acme=update");
        JsonNode o = plan.get("organizations").get(0);
        assertThat(o.get("organization_id").asText()).isEqualTo(acme);
        assertThat(o.get("client_grants").asInt()).isEqualTo(1);
        assertThat(o.get("new_associations").asInt()).isEqualTo(1);
        assertThat(o.get("token_quota").asText()).isEqualTo("create");
        assertThat(plan.get("unsupported").findValuesAsText("field")).contains("organizations[0].display_name")
                .doesNotContain("client_grants[0].organization_usage", "client_grants[0].allow_any_organization");
        for (JsonNode c : plan.get("clients")) {
            if (c.get("client_id").asText().equals("svc-org")) svcOrg = new Client("svc-org", c.get("client_secret").asText(), null);
        }

        JsonNode grant = realm.get("/m2m/client-grants/" + grantId("svc-org")).json();
        assertThat(grant.get("organization_usage").asText()).isEqualTo("require");
        assertThat(grant.get("allow_any_organization").asBoolean()).isFalse();
        assertThat(realm.get("/m2m/client-grants/" + grantId("svc-org") + "/organizations").json().findValuesAsText("name"))
                .containsExactly("acme");
        assertThat(realm.get("/m2m/client-grants/" + grantId("svc-plain")).json().get("organization_usage").asText()).isEqualTo("deny");
        assertThat(realm.get("/m2m/organizations/acme/token-quota").json().at("/client_credentials/per_hour").asInt()).isEqualTo(5);
    }

    @Test
    @Order(2)
    @DisplayName("tokens follow the imported grant: organization required, acme accepted with org_id")
    void tokens() throws InterruptedException {
        long left = 3600 - Math.floorMod(Instant.now().getEpochSecond(), 3600);
        if (left < 30) Thread.sleep((left + 2) * 1000);
        HttpResult none = realm.clientCredentials(svcOrg, "audience", ORDERS);
        assertThat(none.status()).as("%s", none).isEqualTo(400);
        HttpResult ok = realm.clientCredentials(svcOrg, "audience", ORDERS, "organization", "acme");
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        Jwt token = Jwt.verified(ok.json().get("access_token").asText(), realm.jwksUrl());
        assertThat(token.claim("org_id")).isEqualTo(acme);
        assertThat(ok.requireHeader("RateLimit-Policy")).isEqualTo("\"org_per_hour\";q=5;w=3600");
    }

    @Test
    @Order(3)
    @DisplayName("the same import again, as JSON and as tenant.yaml: everything unchanged")
    void again() {
        for (String[] form : new String[][] {{JSON, TENANT}, {YAML, TENANT_YAML}}) {
            HttpResult r = importTenant(realm, form[0], form[1], "dry_run=true");
            assertThat(r.status()).as("%s", r).isEqualTo(200);
            assertThat(actions(r.json(), "organizations")).as(form[0]).containsExactly("acme=unchanged");
            assertThat(r.json().get("organizations").get(0).get("token_quota").asText()).isEqualTo("unchanged");
            assertThat(actions(r.json(), "client_grants")).as(form[0]).allMatch(a -> a.endsWith("=unchanged"));
        }
    }

    @Test
    @Order(4)
    @DisplayName("the export carries the organization fields and the organization in both formats")
    void exported() {
        JsonNode json = realm.get("/m2m/export?format=auth0-json").json();
        JsonNode grant = null;
        for (JsonNode g : json.get("client_grants")) if (g.get("client_id").asText().equals("svc-org")) grant = g;
        assertThat(grant).isNotNull();
        assertThat(grant.get("organization_usage").asText()).isEqualTo("require");
        assertThat(json.get("organizations")).hasSize(1);
        JsonNode org = json.get("organizations").get(0);
        assertThat(org.get("name").asText()).isEqualTo("acme");
        assertThat(org.get("client_grants").findValuesAsText("client_id")).containsExactly("svc-org");
        assertThat(org.at("/token_quota/client_credentials/per_hour").asInt()).isEqualTo(5);
        String yaml = realm.get("/m2m/export?format=auth0-yaml").body();
        assertThat(yaml).contains("organizations:", "organization_usage: require");
        HttpResult back = importTenant(realm, YAML, yaml, "dry_run=true");
        assertThat(back.status()).as("%s", back).isEqualTo(200);
        assertThat(actions(back.json(), "organizations")).containsExactly("acme=unchanged");
    }

    @Test
    @Order(5)
    @DisplayName("an organization Keycloak does not have: 400 naming it, nothing written; skipped with skip_unresolved=true")
    void unknownOrganization() {
        String tenant = TENANT.replace("\"name\": \"acme\"", "\"name\": \"initech\"");
        HttpResult r = importTenant(realm, JSON, tenant, null);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("organizations[0].name");
        assertThat(r.json().path("errorMessage").asText()).contains("\"initech\" is not an organization of the realm");
        HttpResult skipped = importTenant(realm, JSON, tenant, "skip_unresolved=true&dry_run=true");
        assertThat(skipped.status()).as("%s", skipped).isEqualTo(200);
        assertThat(actions(skipped.json(), "organizations")).containsExactly("initech=skipped");
    }

    @Test
    @Order(6)
    @DisplayName("an organization naming a client whose grants admit no organization: 400 naming the field")
    void clientWithoutOrganizationGrant() {
        String tenant = TENANT.replace("[{\"client_id\": \"svc-org\"}]", "[{\"client_id\": \"svc-plain\"}]");
        HttpResult r = importTenant(realm, JSON, tenant, null);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("organizations[0].client_grants[0].client_id");
        assertThat(r.json().path("errorMessage").asText()).contains("has no client grant with organization_usage allow or require");
    }
}
