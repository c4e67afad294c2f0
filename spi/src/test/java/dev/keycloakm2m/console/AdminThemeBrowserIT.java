package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

/**
 * The admin theme keycloak-m2m in a real browser (Debian's Chromium driven by playwright-core, see
 * {@link AdminThemeBrowser}), the way an Auth0 admin works: a realm admin with manage-realm creates an API with two
 * permissions and authorizes a client with one of them on the Machine to Machine Applications tab; outside the
 * browser that client then gets a token with exactly that scope; unticking the scope refuses its next request; a
 * quota of 2 per hour set on the Token quotas page refuses the third token with 429, and the page shows 2 of 2
 * used. A realm admin with view-realm only (in German) sees every page with its data and no control that writes,
 * and the server refuses her writes. The tests run in order: each browser phase builds on the previous one.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminThemeBrowserIT {

    static final String THEME = "keycloak-m2m";
    static final String API_NAME = "Invoices API";
    static final String API = "https://invoices.example.com/api";
    static final String SCOPE = "read:invoices";
    static final String OTHER_SCOPE = "write:invoices";
    static final String CLIENT = "svc-invoices";
    static final String EDITOR = "invoices-admin";
    static final String VIEWER = "invoices-auditor";
    static final int PER_HOUR = 2;

    static TestRealm realm;
    static TestRealm.Client client;
    static String apiId;
    static JsonNode authorizePhase;

    @BeforeAll
    static void prepare(TestRealm testRealm) {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.keycloakm2m.testing.KeycloakVersions.consoleSupported(),
                "the admin theme is supported on Keycloak 26.7 only (this is " + dev.keycloakm2m.testing.KeycloakVersions.dist() + ")");
        realm = testRealm;
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("adminTheme", THEME);
        rep.put("internationalizationEnabled", true);
        rep.put("supportedLocales", List.of("en", "de"));
        rep.put("defaultLocale", "en");
        HttpResult r = realm.put("", rep);
        assertThat(r.status()).as("admin theme and localization of the realm: %s", r).isEqualTo(204);
        client = realm.createClient(CLIENT);
        createRealmAdmin(EDITOR, "en", "view-realm", "manage-realm", "view-clients", "view-organizations");
        createRealmAdmin(VIEWER, "de", "view-realm");
    }

    @Test
    @Order(1)
    @DisplayName("an API with two permissions and a client authorized for one: the client's token has exactly that scope")
    void authorizeOnTheApplicationsTab() throws ParseException {
        JsonNode seen = AdminThemeBrowser.run("authorize", config(EDITOR, "APIs"));
        authorizePhase = seen;
        apiId = seen.at("/texts/apiId").asText();
        assertThat(seen.at("/alerts/authorized").asText()).isEqualTo("saved");
        assertThat(seen.at("/alerts/grantSaved").asText()).isEqualTo("saved");
        assertThat(seen.at("/texts/scopes").asText()).contains(SCOPE, "Read invoices", OTHER_SCOPE, "Create invoices");

        JsonNode stored = realm.get("/m2m/resource-servers/" + apiId).json();
        assertThat(stored.path("identifier").asText()).isEqualTo(API);
        assertThat(stored.path("scopes").findValuesAsText("value")).containsExactly(SCOPE, OTHER_SCOPE);
        JsonNode grants = realm.get("/m2m/client-grants?client_id=" + CLIENT).json();
        assertThat(grants).hasSize(1);
        assertThat(texts(grants.get(0).path("scope"))).containsExactly(SCOPE);

        HttpResult token = realm.clientCredentials(client, "audience", API);
        assertThat(token.status()).as("%s", token).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(token.json().path("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getStringClaim("scope")).isEqualTo(SCOPE);
    }

    @Test
    @Order(2)
    @DisplayName("a duplicate identifier is refused and the reason shows next to the identifier field")
    void validationErrorNextToTheField() {
        assertThat(authorizePhase).as("the authorize phase ran").isNotNull();
        assertThat(authorizePhase.at("/alerts/duplicateIdentifier").asText())
                .isEqualTo("The server refused the change: " + ResourceServerValidator.DUPLICATE_IDENTIFIER);
        assertThat(authorizePhase.at("/texts/duplicateNextToIdentifier").asInt()).as("alerts in the identifier's form group").isEqualTo(1);
        assertThat(realm.get("/m2m/resource-servers?include_totals=true").json().path("total").asInt())
                .as("nothing of the refused create was stored").isEqualTo(1);
    }

    @Test
    @Order(3)
    @DisplayName("unticking the scope and saving the row refuses the client's next request for it")
    void untickRefusesTheNextRequest() {
        JsonNode seen = AdminThemeBrowser.run("untick", config(EDITOR, "APIs"));
        assertThat(seen.at("/texts/checkedBefore").asBoolean()).as("the granted scope was ticked").isTrue();
        assertThat(seen.at("/alerts/grantSaved").asText()).isEqualTo("saved");
        assertThat(texts(realm.get("/m2m/client-grants?client_id=" + CLIENT).json().get(0).path("scope"))).isEmpty();

        HttpResult refused = realm.clientCredentials(client, "audience", API, "scope", SCOPE);
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    @Order(4)
    @DisplayName("a quota of 2 per hour set on the Token quotas page: the third token gets 429, the page shows 2 of 2 used")
    void quotaFromTheTokenQuotasPage() {
        JsonNode seen = AdminThemeBrowser.run("quota", config(EDITOR, "APIs"));
        assertThat(seen.at("/alerts/grantSaved").asText()).isEqualTo("saved");
        assertThat(seen.at("/alerts/quotaSaved").asText()).isEqualTo("saved");
        JsonNode quota = realm.get("/m2m/clients/" + CLIENT + "/token-quota").json();
        assertThat(quota.at("/client_credentials/per_hour").asInt()).isEqualTo(PER_HOUR);
        assertThat(quota.at("/client_credentials/enforce").asBoolean()).isTrue();

        assertThat(realm.clientCredentials(client, "audience", API).status()).isEqualTo(200);
        assertThat(realm.clientCredentials(client, "audience", API).status()).isEqualTo(200);
        HttpResult third = realm.clientCredentials(client, "audience", API);
        assertThat(third.status()).as("%s", third).isEqualTo(429);

        Map<String, Object> usage = config(EDITOR, "APIs");
        usage.put("expectUsage", "2 of 2 used");
        JsonNode page = AdminThemeBrowser.run("usage", usage);
        assertThat(page.at("/texts/hourUsage").asText()).isEqualTo("2 of 2 used");
        // reachable from Keycloak's client page, which keeps its own tabs
        assertThat(page.at("/texts/clientBar").asText()).contains("Authorized APIs", API);
        assertThat(page.at("/texts/clientPageHasKeycloakTabs").asInt()).isGreaterThan(3);
        assertThat(page.at("/texts/clientApisTitle").asText()).isEqualTo("APIs of " + CLIENT);
        assertThat(page.at("/texts/clientApis").asText()).contains(API_NAME, API, SCOPE);
        assertThat(page.path("rawKeys")).isEmpty();
        assertThat(page.path("pageErrors")).isEmpty();
    }

    @Test
    @Order(5)
    @DisplayName("a rate limit added on the Rate limits page (block, 5/s) and changed to log only: the admin API holds what the page shows")
    void rateLimitFromTheRateLimitsPage() {
        JsonNode seen = AdminThemeBrowser.run("rateLimit", config(EDITOR, "APIs"));
        assertThat(seen.at("/alerts/rateLimitSaved").asText()).isEqualTo("saved");
        assertThat(seen.at("/alerts/rateLimitChanged").asText()).isEqualTo("saved");
        assertThat(seen.at("/texts/rateLimitRow").asText()).contains(CLIENT, "Block", "5/s");
        assertThat(seen.at("/texts/rateLimitRowAfter").asText()).contains(CLIENT, "Log only", "5/s");
        JsonNode policies = realm.get("/m2m/rate-limit-policies").json();
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0).get("consumer_selector").asText()).isEqualTo("client_id:" + CLIENT);
        assertThat(policies.get(0).get("action").asText()).isEqualTo("log");
        assertThat(policies.get(0).get("limit").asInt()).isEqualTo(5);
        assertThat(policies.get(0).get("burst").asInt()).isEqualTo(5);
        assertThat(seen.path("rawKeys")).isEmpty();
        assertThat(seen.path("pageErrors")).isEmpty();
    }

    @Test
    @Order(6)
    @DisplayName("Keycloak's organization page shows the organization's client grants and quota; the quota is changed there")
    void organizationPage() {
        realm.enableOrganizations();
        String orgId = realm.createOrganization("Acme Inc.", "acme");
        String grantId = realm.get("/m2m/client-grants?client_id=" + CLIENT).json().get(0).get("id").asText();
        assertThat(realm.patch("/m2m/client-grants/" + grantId, Map.of("organization_usage", "allow")).status()).isEqualTo(200);
        assertThat(realm.post("/m2m/organizations/acme/client-grants", Map.of("grant_id", grantId)).status()).isIn(200, 201, 204);
        assertThat(realm.put("/m2m/organizations/acme/token-quota", Map.of("client_credentials", Map.of("per_hour", 3))).status())
                .isIn(200, 201);

        Map<String, Object> config = config(EDITOR, "APIs");
        config.put("orgId", orgId);
        JsonNode seen = AdminThemeBrowser.run("organization", config);
        assertThat(seen.at("/texts/organizationBar").asText()).contains(CLIENT + " → " + API, "Own quota");
        assertThat(seen.at("/texts/organizationPageHasKeycloakTabs").asInt()).isGreaterThan(1);
        assertThat(seen.at("/alerts/organizationQuotaSaved").asText()).isEqualTo("saved");
        assertThat(seen.at("/texts/organizationQuota").asText()).contains("0 of 4");
        assertThat(realm.get("/m2m/organizations/acme/token-quota").json().at("/client_credentials/per_hour").asInt()).isEqualTo(4);
        assertThat(seen.path("rawKeys")).isEmpty();
        assertThat(seen.path("pageErrors")).isEmpty();
    }

    @Test
    @Order(7)
    @DisplayName("a view-realm-only admin sees every page with its data and no control that writes; the server refuses her writes")
    void viewRealmOnly() {
        JsonNode seen = AdminThemeBrowser.run("viewer", config(VIEWER, "APIs"));
        for (String page : List.of("apis", "settings", "permissions", "applications", "quotas", "tokenQuotas", "m2mSettings", "clientApis",
                "rateLimits")) {
            assertThat(texts(seen.at("/controls/" + page))).as("write controls on %s", page).isEmpty();
        }
        for (String page : List.of("apis", "settings", "permissions", "applications", "tokenQuotas", "m2mSettings", "rateLimits")) {
            assertThat(seen.at("/texts/" + page).asText()).as("page %s", page)
                    .contains("Sie können diese Seite ansehen, aber nicht ändern: dazu braucht es die Rolle manage-realm.");
        }
        assertThat(seen.at("/texts/apis").asText()).contains(API_NAME, API);
        assertThat(seen.at("/texts/permissions").asText()).contains(SCOPE, "Read invoices");
        assertThat(seen.at("/texts/applications").asText()).contains(CLIENT, "Autorisiert");
        assertThat(seen.at("/texts/quotas").asText()).contains(CLIENT, "2 von 2 verbraucht");
        assertThat(seen.at("/texts/tokenQuotas").asText()).contains(CLIENT, "Eigenes Kontingent", "2 von 2 verbraucht");
        assertThat(seen.at("/texts/clientApis").asText()).contains(API, SCOPE);
        assertThat(seen.at("/texts/rateLimits").asText()).contains(CLIENT, "Nur protokollieren", "5/s");
        assertThat(seen.at("/texts/nav").asText()).contains("APIs", "Token-Kontingente", "Ratenlimits", "M2M-Einstellungen");
        assertThat(seen.path("rawKeys")).as("raw message keys").isEmpty();
        assertThat(seen.path("pageErrors")).as("uncaught errors").isEmpty();

        AdminClient viewer = new AdminClient(realm.server().baseUrl(), realm.name(), VIEWER, password(VIEWER));
        String base = "/admin/realms/" + realm.name() + "/m2m";
        assertThat(viewer.get(base + "/resource-servers/" + apiId).status()).isEqualTo(200);
        assertThat(viewer.patch(base + "/resource-servers/" + apiId, Map.of("name", "changed")).status()).isEqualTo(403);
        assertThat(viewer.put(base + "/clients/" + CLIENT + "/token-quota", Map.of("client_credentials", Map.of("per_hour", 5))).status())
                .isEqualTo(403);
        assertThat(realm.get("/m2m/resource-servers/" + apiId).json().path("name").asText()).isEqualTo(API_NAME);
    }

    // ---- helpers

    private static Map<String, Object> config(String username, String apisLabel) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", realm.server().baseUrl());
        config.put("realm", realm.name());
        config.put("loginRealm", realm.name());
        config.put("user", Map.of("username", username, "password", password(username), "apisLabel", apisLabel));
        config.put("api", Map.of("name", API_NAME, "identifier", API, "scopes", List.of(
                Map.of("value", SCOPE, "description", "Read invoices"),
                Map.of("value", OTHER_SCOPE, "description", "Create invoices"))));
        config.put("client", CLIENT);
        config.put("grantScope", SCOPE);
        config.put("perHour", PER_HOUR);
        if (apiId != null) config.put("apiId", apiId);
        config.put("clientUuid", client.id());
        return config;
    }

    private static void createRealmAdmin(String username, String locale, String... roles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@example.com");
        user.put("emailVerified", true);
        user.put("firstName", "Invoices");
        user.put("lastName", "Admin");
        user.put("attributes", Map.of("locale", List.of(locale)));
        user.put("credentials", List.of(Map.of("type", "password", "value", password(username), "temporary", false)));
        HttpResult created = realm.post("/users", user);
        assertThat(created.status()).as("user %s: %s", username, created).isEqualTo(201);
        String realmManagement = realm.get("/clients?clientId=realm-management").json().get(0).get("id").asText();
        List<JsonNode> mapped = new ArrayList<>();
        for (String role : roles) mapped.add(realm.get("/clients/" + realmManagement + "/roles/" + role).json());
        HttpResult r = realm.post("/users/" + created.createdId() + "/role-mappings/clients/" + realmManagement, mapped);
        assertThat(r.status()).as("roles of %s: %s", username, r).isEqualTo(204);
    }

    private static String password(String username) {
        return username + "-password";
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
