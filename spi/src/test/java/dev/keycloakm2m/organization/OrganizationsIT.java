package dev.keycloakm2m.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.Jwt;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;
import dev.keycloakm2m.testing.TestRealm.Client;

/**
 * Issue 18: Keycloak's organizations with client credentials, against a real Keycloak with the realm's organizations
 * enabled: grant fields, associations, the {@code organization} parameter, {@code org_id} / {@code org_name}, refusals
 * in both error styles, organization quotas and an organization's deletion.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("organizations with client credentials")
class OrganizationsIT {

    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "https://api.example.com/billing";
    static final String GRANTS = "/m2m/client-grants";
    static final String ORGS = "/m2m/organizations";
    static final long HOUR = 3600;

    TestRealm realm;
    String acme;
    String globex;

    @BeforeAll
    void setUp(TestRealm realm) {
        this.realm = realm;
        HttpResult enable = realm.put("", Map.of("organizationsEnabled", true));
        assertThat(enable.status()).as("%s", enable).isEqualTo(204);
        acme = createOrganization("Acme Inc.", "acme");
        globex = createOrganization("Globex Corporation", "globex");
        realm.createApi("Orders", ORDERS, Map.of("read:orders", "", "write:orders", ""), null);
        realm.createApi("Billing", BILLING, Map.of("read:invoices", ""), null);
    }

    @BeforeEach
    void rfcStyleAndNotNearTheEndOfAnHour() throws InterruptedException {
        realm.patch("/m2m/settings", settings("error_style", "rfc"));
        // token counts are per UTC hour: a test that counts must not straddle one
        long left = HOUR - Math.floorMod(java.time.Instant.now().getEpochSecond(), HOUR);
        if (left < 120) Thread.sleep((left + 2) * 1000);
    }

    @AfterEach
    void noOrganizationDefaults() {
        Map<String, Object> body = new HashMap<>();
        body.put("default_token_quota", null);
        body.put("allow_organization_name_in_authentication_api", false);
        assertThat(realm.patch("/m2m/settings", body).status()).isEqualTo(200);
    }

    // ---- helpers

    String createOrganization(String name, String alias) {
        return realm.createOrganization(name, alias);
    }

    static Map<String, Object> settings(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    /** A client with a grant for ORDERS (read:orders); {@code usage} null: the field is not sent. Returns the grant's JSON. */
    JsonNode grant(String clientId, String usage, Boolean allowAny) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client_id", clientId);
        body.put("audience", ORDERS);
        body.put("scope", List.of("read:orders"));
        if (usage != null) body.put("organization_usage", usage);
        if (allowAny != null) body.put("allow_any_organization", allowAny);
        HttpResult r = realm.post(GRANTS, body);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json();
    }

    Client clientWithGrant(String clientId, String usage, Boolean allowAny) {
        Client c = realm.createClient(clientId);
        grant(clientId, usage, allowAny);
        return c;
    }

    String grantId(String clientId) {
        HttpResult r = realm.get(GRANTS + "?client_id=" + clientId);
        assertThat(r.status()).isEqualTo(200);
        return r.json().get(0).get("id").asText();
    }

    HttpResult associate(String org, String grantId) {
        return realm.post(ORGS + "/" + org + "/client-grants", Map.of("grant_id", grantId));
    }

    static Jwt ok(HttpResult r, TestRealm realm) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return Jwt.verified(r.json().get("access_token").asText(), realm.jwksUrl());
    }

    static void refused(HttpResult r, int status, String error, String description) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.json().get("error").asText()).as("%s", r).isEqualTo(error);
        assertThat(r.json().get("error_description").asText()).as("%s", r).isEqualTo(description);
        assertThat(r.json().has("access_token")).isFalse();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }

    void putQuota(String path, Integer perHour) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("per_hour", perHour);
        HttpResult r = realm.put(path, Map.of("client_credentials", limits));
        assertThat(r.status()).as("%s", r).isIn(200, 201);
    }

    // ---- grant fields

    @Nested
    @DisplayName("grant fields organization_usage and allow_any_organization")
    class GrantFields {

        @Test
        @DisplayName("Auth0's fields and defaults (deny, false); PATCH changes them; anything but deny/allow/require is 400")
        void fields() {
            realm.createClient("fields-svc");
            JsonNode created = grant("fields-svc", null, null);
            assertThat(fieldNames(created)).containsExactly("id", "client_id", "audience", "scope", "allow_all_scopes",
                    "organization_usage", "allow_any_organization");
            assertThat(created.get("organization_usage").asText()).isEqualTo("deny");
            assertThat(created.get("allow_any_organization").asBoolean()).isFalse();
            String id = created.get("id").asText();

            HttpResult patched = realm.patch(GRANTS + "/" + id, Map.of("organization_usage", "require", "allow_any_organization", true));
            assertThat(patched.status()).as("%s", patched).isEqualTo(200);
            assertThat(patched.json().get("organization_usage").asText()).isEqualTo("require");
            assertThat(patched.json().get("allow_any_organization").asBoolean()).isTrue();
            JsonNode stored = realm.get(GRANTS + "/" + id).json();
            assertThat(stored.get("organization_usage").asText()).isEqualTo("require");
            assertThat(stored.get("allow_any_organization").asBoolean()).isTrue();
            assertThat(realm.get(GRANTS + "?allow_any_organization=true").json().findValuesAsText("id")).contains(id);

            for (String bad : List.of("optional", "Deny", "")) {
                HttpResult r = realm.patch(GRANTS + "/" + id, Map.of("organization_usage", bad));
                if (bad.isEmpty()) {
                    assertThat(r.status()).as("empty: the default").isEqualTo(200);
                    continue;
                }
                assertThat(r.status()).as("%s", r).isEqualTo(400);
                assertThat(r.json().get("errorMessage").asText()).isEqualTo("organization_usage must be one of: deny, allow, require");
            }
            HttpResult wrongType = realm.patch(GRANTS + "/" + id, Map.of("allow_any_organization", "yes"));
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.json().get("errorMessage").asText()).isEqualTo("allow_any_organization must be true or false");
            Map<String, Object> createBad = new LinkedHashMap<>();
            createBad.put("client_id", "fields-svc");
            createBad.put("audience", BILLING);
            createBad.put("organization_usage", "sometimes");
            assertThat(realm.post(GRANTS, createBad).status()).isEqualTo(400);
        }
    }

    // ---- associations

    @Nested
    @DisplayName("associations of organizations with grants")
    class Associations {

        @Test
        @DisplayName("POST / GET / DELETE under the organization (id or alias) and GET under the grant; unknown ones 404, twice 409")
        void crud() {
            realm.createClient("assoc-svc");
            String grant = grant("assoc-svc", "allow", null).get("id").asText();

            HttpResult created = associate("acme", grant);
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(created.json().get("id").asText()).isEqualTo(grant);
            assertThat(created.json().get("organization_usage").asText()).isEqualTo("allow");
            HttpResult again = associate(acme, grant);
            assertThat(again.status()).as("the same by id: %s", again).isEqualTo(409);
            assertThat(associate(globex, grant).status()).isEqualTo(201);

            for (String org : List.of("acme", acme)) {
                HttpResult list = realm.get(ORGS + "/" + org + "/client-grants");
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.json().findValuesAsText("id")).contains(grant);
            }
            HttpResult totals = realm.get(ORGS + "/acme/client-grants?include_totals=true&client_id=assoc-svc");
            assertThat(totals.json().get("total").asInt()).isEqualTo(1);
            assertThat(totals.json().get("client_grants").get(0).get("id").asText()).isEqualTo(grant);

            HttpResult orgs = realm.get(GRANTS + "/" + grant + "/organizations");
            assertThat(orgs.status()).isEqualTo(200);
            assertThat(orgs.json()).hasSize(2);
            assertThat(orgs.json().get(0).get("id").asText()).isEqualTo(acme);
            assertThat(orgs.json().get(0).get("name").asText()).isEqualTo("acme");
            assertThat(orgs.json().get(0).get("display_name").asText()).isEqualTo("Acme Inc.");
            assertThat(orgs.json().get(1).get("name").asText()).isEqualTo("globex");

            HttpResult unknownOrg = associate("nope", grant);
            assertThat(unknownOrg.status()).isEqualTo(404);
            assertThat(unknownOrg.json().get("errorMessage").asText()).isEqualTo("No organization found by that id or name");
            assertThat(realm.get(ORGS + "/nope/client-grants").status()).isEqualTo(404);
            HttpResult unknownGrant = associate("acme", "no-such-grant");
            assertThat(unknownGrant.status()).isEqualTo(404);
            assertThat(unknownGrant.json().get("errorMessage").asText()).isEqualTo("The grant does not exist.");
            assertThat(realm.post(ORGS + "/acme/client-grants", Map.of()).status()).as("grant_id missing").isEqualTo(400);
            assertThat(realm.get(GRANTS + "/no-such-grant/organizations").status()).isEqualTo(404);

            assertThat(realm.delete(ORGS + "/globex/client-grants/" + grant).status()).isEqualTo(204);
            assertThat(realm.delete(ORGS + "/globex/client-grants/" + grant).status()).isEqualTo(404);
            assertThat(realm.get(GRANTS + "/" + grant + "/organizations").json().findValuesAsText("name")).containsExactly("acme");

            // the grant's deletion takes its associations with it
            assertThat(realm.delete(GRANTS + "/" + grant).status()).isEqualTo(204);
            assertThat(realm.get(ORGS + "/acme/client-grants").json().findValuesAsText("id")).doesNotContain(grant);
        }
    }

    // ---- token endpoint

    @Nested
    @DisplayName("the organization parameter at the token endpoint")
    class Tokens {

        @Test
        @DisplayName("deny (default): without organization as before, with one refused")
        void deny() {
            Client c = clientWithGrant("tok-deny", null, null);
            Jwt plain = ok(realm.clientCredentials(c, "audience", ORDERS), realm);
            assertThat(plain.claims()).doesNotContainKeys("org_id", "org_name");
            assertThat(plain.claim("aud")).isEqualTo(ORDERS);
            refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "acme"), 403, "access_denied",
                    "Client \"tok-deny\" may not use an organization with \"" + ORDERS + "\"");
        }

        @Test
        @DisplayName("allow: without organization a token without org_id; with an associated one (id or alias) org_id; else refused")
        void allow() {
            Client c = clientWithGrant("tok-allow", "allow", false);
            assertThat(associate("acme", grantId("tok-allow")).status()).isEqualTo(201);
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS), realm).claims()).doesNotContainKey("org_id");
            Jwt byAlias = ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "acme"), realm);
            assertThat(byAlias.string("org_id")).isEqualTo(acme);
            assertThat(byAlias.claims()).doesNotContainKey("org_name");
            assertThat(byAlias.string("scope")).isEqualTo("read:orders");
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", acme), realm).string("org_id")).isEqualTo(acme);
            refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "globex"), 403, "access_denied",
                    "Client \"tok-allow\" is not authorized to access \"" + ORDERS + "\" for organization \"globex\"");
            refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "nope"), 400, "invalid_request",
                    "Unknown organization: nope");
        }

        @Test
        @DisplayName("require: without organization refused; allow_any_organization lets any enabled one in")
        void require() {
            Client c = clientWithGrant("tok-require", "require", true);
            refused(realm.clientCredentials(c, "audience", ORDERS), 400, "invalid_request",
                    "The organization parameter is required for \"" + ORDERS + "\"");
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "globex"), realm).string("org_id")).isEqualTo(globex);
            assertThat(ok(realm.clientCredentials(c, "resource", ORDERS, "organization", "acme"), realm).string("org_id")).isEqualTo(acme);

            Client strict = clientWithGrant("tok-require-assoc", "require", false);
            refused(realm.clientCredentials(strict, "audience", ORDERS, "organization", "acme"), 403, "access_denied",
                    "Client \"tok-require-assoc\" is not authorized to access \"" + ORDERS + "\" for organization \"acme\"");
            assertThat(associate(acme, grantId("tok-require-assoc")).status()).isEqualTo(201);
            assertThat(ok(realm.clientCredentials(strict, "audience", ORDERS, "organization", "acme"), realm).string("org_id")).isEqualTo(acme);
        }

        @Test
        @DisplayName("a disabled organization is refused like an unknown one; enabled again it works")
        void disabled() {
            String initech = createOrganization("Initech", "initech");
            Client c = clientWithGrant("tok-disabled", "allow", true);
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "initech"), realm).string("org_id")).isEqualTo(initech);
            JsonNode rep = realm.get("/organizations/" + initech).json();
            ((com.fasterxml.jackson.databind.node.ObjectNode) rep).put("enabled", false);
            assertThat(realm.put("/organizations/" + initech, rep).status()).isEqualTo(204);
            refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "initech"), 400, "invalid_request",
                    "Unknown organization: initech");
            ((com.fasterxml.jackson.databind.node.ObjectNode) rep).put("enabled", true);
            assertThat(realm.put("/organizations/" + initech, rep).status()).isEqualTo(204);
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "initech"), realm).string("org_id")).isEqualTo(initech);
        }

        @Test
        @DisplayName("org_name (the organization's alias) only when the realm's settings say so")
        void orgName() {
            Client c = clientWithGrant("tok-name", "allow", true);
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", acme), realm).claims()).doesNotContainKey("org_name");
            assertThat(realm.patch("/m2m/settings", settings("allow_organization_name_in_authentication_api", true))
                    .json().get("allow_organization_name_in_authentication_api").asBoolean()).isTrue();
            Jwt named = ok(realm.clientCredentials(c, "audience", ORDERS, "organization", acme), realm);
            assertThat(named.string("org_id")).isEqualTo(acme);
            assertThat(named.string("org_name")).isEqualTo("acme");
            assertThat(ok(realm.clientCredentials(c, "audience", ORDERS), realm).claims()).doesNotContainKeys("org_id", "org_name");
        }

        @Test
        @DisplayName("Auth0 style: Auth0's errors and status codes")
        void auth0Style() {
            Client deny = clientWithGrant("a0-deny", "deny", false);
            Client require = clientWithGrant("a0-require", "require", false);
            realm.patch("/m2m/settings", settings("error_style", "auth0"));
            refused(realm.clientCredentials(deny, "audience", ORDERS, "organization", "acme"), 403, "access_denied",
                    "Client is not authorized to access \"" + ORDERS + "\" on behalf of an organization. The client grant's"
                            + " organization_usage is \"deny\".");
            refused(realm.clientCredentials(require, "audience", ORDERS), 400, "invalid_request", "Missing required parameter: organization");
            refused(realm.clientCredentials(require, "audience", ORDERS, "organization", "nope"), 403, "access_denied",
                    "Organization not found: nope");
            refused(realm.clientCredentials(require, "audience", ORDERS, "organization", "acme"), 403, "access_denied",
                    "Client is not authorized to access \"" + ORDERS + "\" on behalf of organization \"acme\". You need to associate"
                            + " the organization with the \"client-grant\".");
        }

        @Test
        @DisplayName("events: CLIENT_LOGIN carries org_id and org_alias; CLIENT_LOGIN_ERROR the organization sent and the reason")
        void events() {
            Client c = clientWithGrant("ev-org", "allow", false);
            assertThat(associate("acme", grantId("ev-org")).status()).isEqualTo(201);
            ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "acme"), realm);
            JsonNode success = realm.events("type=CLIENT_LOGIN&client=ev-org&max=1").get(0);
            assertThat(success.at("/details/org_id").asText()).isEqualTo(acme);
            assertThat(success.at("/details/org_alias").asText()).isEqualTo("acme");
            assertThat(success.at("/details/audience").asText()).isEqualTo(ORDERS);
            realm.clientCredentials(c, "audience", ORDERS, "organization", "globex");
            JsonNode error = realm.events("type=CLIENT_LOGIN_ERROR&client=ev-org&max=1").get(0);
            assertThat(error.get("error").asText()).isEqualTo("access_denied");
            assertThat(error.at("/details/reason").asText()).isEqualTo("organization_not_associated");
            assertThat(error.at("/details/organization").asText()).isEqualTo("globex");
        }

        @Test
        @DisplayName("a request naming no API with an organization parameter: Keycloak's own token, as before")
        void noApi() {
            Client c = clientWithGrant("tok-noapi", "require", false);
            Jwt plain = ok(realm.clientCredentials(c, "organization", "acme"), realm);
            assertThat(plain.claims()).doesNotContainKeys("org_id", "org_name");
            assertThat(plain.claim("aud")).isNotEqualTo(ORDERS);
        }
    }

    // ---- quotas

    @Nested
    @DisplayName("organization token quotas")
    class Quotas {

        @Test
        @DisplayName("PUT / GET / DELETE with a client's quota body; unknown organization 404; the realm default in the settings")
        void rest() {
            String path = ORGS + "/globex/token-quota";
            HttpResult none = realm.get(path);
            assertThat(none.status()).isEqualTo(404);
            assertThat(none.json().get("errorMessage").asText()).isEqualTo("The organization has no token quota of its own");
            HttpResult created = realm.put(path, Map.of("client_credentials", Map.of("per_hour", 100, "per_day", 1000)));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
            assertThat(created.body()).isEqualTo("{\"client_credentials\":{\"per_hour\":100,\"per_day\":1000,\"enforce\":true}}");
            HttpResult replaced = realm.put(ORGS + "/" + globex + "/token-quota", Map.of("client_credentials", Map.of("per_day", 5, "enforce", false)));
            assertThat(replaced.status()).isEqualTo(200);
            assertThat(realm.get(path).body()).isEqualTo("{\"client_credentials\":{\"per_hour\":null,\"per_day\":5,\"enforce\":false}}");
            HttpResult bad = realm.put(path, Map.of("client_credentials", Map.of("per_hour", 0)));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("errorMessage").asText()).isEqualTo("client_credentials.per_hour must be a whole number between 1 and 2147483647");
            assertThat(realm.put(ORGS + "/nope/token-quota", Map.of("client_credentials", Map.of("per_hour", 1))).status()).isEqualTo(404);

            JsonNode usage = realm.get(ORGS + "/globex/token-usage").json();
            assertThat(usage.get("organization_id").asText()).isEqualTo(globex);
            assertThat(usage.get("quota_source").asText()).isEqualTo("organization");
            assertThat(usage.at("/per_day/quota").asInt()).isEqualTo(5);

            assertThat(realm.delete(path).status()).isEqualTo(204);
            assertThat(realm.delete(path).status()).isEqualTo(404);
            assertThat(realm.get(ORGS + "/globex/token-usage").json().get("quota_source").isNull()).isTrue();

            Map<String, Object> body = Map.of("default_token_quota",
                    Map.of("organizations", Map.of("client_credentials", Map.of("per_hour", 40))));
            JsonNode saved = realm.patch("/m2m/settings", body).json();
            assertThat(saved.at("/default_token_quota/organizations/client_credentials/per_hour").asInt()).isEqualTo(40);
            assertThat(saved.at("/default_token_quota/clients").isMissingNode()).isTrue();
            JsonNode byDefault = realm.get(ORGS + "/globex/token-usage").json();
            assertThat(byDefault.get("quota_source").asText()).isEqualTo("realm_default");
            assertThat(byDefault.at("/per_hour/quota").asInt()).isEqualTo(40);
        }

        @Test
        @DisplayName("an organization's quota stops its tokens while the client's own quota still has room (Auth0 headers)")
        void organizationQuotaStops() {
            String org = "quota-org-" + System.nanoTime() % 100000;
            String orgId = createOrganization("Quota " + org, org);
            Client c = clientWithGrant("q-org-svc", "require", true);
            putQuota("/m2m/clients/q-org-svc/token-quota", 50);
            putQuota(ORGS + "/" + org + "/token-quota", 2);
            realm.patch("/m2m/settings", settings("error_style", "auth0"));

            HttpResult first = realm.clientCredentials(c, "audience", ORDERS, "organization", org);
            assertThat(ok(first, realm).string("org_id")).isEqualTo(orgId);
            assertThat(first.requireHeader("Auth0-Client-Quota-Limit")).startsWith("b=per_hour;q=50;r=49;t=");
            assertThat(first.requireHeader("Auth0-Organization-Quota-Limit")).startsWith("b=per_hour;q=2;r=1;t=");
            ok(realm.clientCredentials(c, "audience", ORDERS, "organization", org), realm);
            HttpResult third = realm.clientCredentials(c, "audience", ORDERS, "organization", org);
            refused(third, 429, "too_many_requests", "Organization quota exceeded");
            assertThat(third.requireHeader("Auth0-Organization-Quota-Limit")).startsWith("b=per_hour;q=2;r=0;t=");
            assertThat(third.requireHeader("Auth0-Client-Quota-Limit")).as("the client's count was given back")
                    .startsWith("b=per_hour;q=50;r=48;t=");
            assertThat(third.requireHeader("X-RateLimit-Limit")).isEqualTo("2");
            assertThat(third.requireHeader("X-RateLimit-Remaining")).isEqualTo("0");
            assertThat(Long.parseLong(third.requireHeader("Retry-After"))).isBetween(1L, HOUR);

            // the client's own quota still has room: other organizations and no organization still get tokens
            ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "acme"), realm);
            assertThat(realm.get("/m2m/clients/q-org-svc/token-usage").json().at("/per_hour/used").asInt()).isEqualTo(3);
            assertThat(realm.get(ORGS + "/" + org + "/token-usage").json().at("/per_hour/used").asInt()).isEqualTo(2);
            JsonNode event = realm.events("type=CLIENT_LOGIN_ERROR&client=q-org-svc&max=1").get(0);
            assertThat(event.at("/details/reason").asText()).isEqualTo("organization_quota_exceeded");
        }

        @Test
        @DisplayName("the client's quota stops tokens although the organization's quota has room; RFC style policies for both")
        void clientQuotaStops() {
            String org = "quota-cl-" + System.nanoTime() % 100000;
            createOrganization("Client quota " + org, org);
            Client c = clientWithGrant("q-cl-svc", "allow", true);
            putQuota("/m2m/clients/q-cl-svc/token-quota", 2);
            putQuota(ORGS + "/" + org + "/token-quota", 50);

            HttpResult first = realm.clientCredentials(c, "audience", ORDERS, "organization", org);
            ok(first, realm);
            assertThat(first.requireHeader("RateLimit-Policy")).isEqualTo("\"per_hour\";q=2;w=3600, \"org_per_hour\";q=50;w=3600");
            assertThat(first.requireHeader("RateLimit")).matches("\"per_hour\";r=1;t=\\d+, \"org_per_hour\";r=49;t=\\d+");
            assertThat(first.header("Auth0-Organization-Quota-Limit")).isEmpty();
            ok(realm.clientCredentials(c, "audience", ORDERS, "organization", org), realm);
            HttpResult third = realm.clientCredentials(c, "audience", ORDERS, "organization", org);
            refused(third, 429, "too_many_requests", "Client quota exceeded");
            assertThat(third.requireHeader("RateLimit")).as("the organization was not counted")
                    .matches("\"per_hour\";r=0;t=\\d+, \"org_per_hour\";r=48;t=\\d+");
            assertThat(realm.get(ORGS + "/" + org + "/token-usage").json().at("/per_hour/used").asInt()).isEqualTo(2);
            refused(realm.clientCredentials(c, "audience", ORDERS), 429, "too_many_requests", "Client quota exceeded");
        }

        @Test
        @DisplayName("the realm default for organizations applies to an organization without a quota of its own")
        void realmDefault() {
            String org = "quota-def-" + System.nanoTime() % 100000;
            createOrganization("Default " + org, org);
            Client c = clientWithGrant("q-def-svc", "allow", true);
            realm.patch("/m2m/settings", Map.of("default_token_quota",
                    Map.of("organizations", Map.of("client_credentials", Map.of("per_hour", 1)))));
            HttpResult first = realm.clientCredentials(c, "audience", ORDERS, "organization", org);
            ok(first, realm);
            assertThat(first.requireHeader("RateLimit-Policy")).as("no client quota: only the organization's")
                    .isEqualTo("\"org_per_hour\";q=1;w=3600");
            refused(realm.clientCredentials(c, "audience", ORDERS, "organization", org), 429, "too_many_requests",
                    "Organization quota exceeded");
            HttpResult plain = realm.clientCredentials(c, "audience", ORDERS);
            ok(plain, realm);
            assertThat(plain.header("RateLimit-Policy")).as("no organization, no client quota: no quota headers").isEmpty();
        }
    }

    // ---- an organization deleted in Keycloak

    @Test
    @DisplayName("deleting an organization removes its associations and its quota; its tokens are refused")
    void deletedOrganization() {
        String doomed = createOrganization("Doomed", "doomed");
        Client c = clientWithGrant("del-svc", "allow", false);
        String grant = grantId("del-svc");
        assertThat(associate("doomed", grant).status()).isEqualTo(201);
        putQuota(ORGS + "/doomed/token-quota", 10);
        assertThat(ok(realm.clientCredentials(c, "audience", ORDERS, "organization", "doomed"), realm).string("org_id")).isEqualTo(doomed);

        assertThat(realm.delete("/organizations/" + doomed).status()).isEqualTo(204);

        assertThat(realm.get(GRANTS + "/" + grant + "/organizations").json()).isEmpty();
        assertThat(realm.get(ORGS + "/" + doomed + "/token-quota").status()).isEqualTo(404);
        refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "doomed"), 400, "invalid_request",
                "Unknown organization: doomed");
        // an organization created again under the same alias is a new one: not associated
        createOrganization("Doomed again", "doomed");
        refused(realm.clientCredentials(c, "audience", ORDERS, "organization", "doomed"), 403, "access_denied",
                "Client \"del-svc\" is not authorized to access \"" + ORDERS + "\" for organization \"doomed\"");
        assertThat(realm.get(ORGS + "/doomed/token-quota").status()).isEqualTo(404);
    }

    // ---- realm import

    static final String IMPORTED = """
            {
              "realm": "it-org-import",
              "enabled": true,
              "organizationsEnabled": true,
              "organizations": [
                {"id": "%1$s", "name": "Umbrella", "alias": "umbrella", "enabled": true, "domains": [{"name": "umbrella.example.com"}]},
                {"id": "%2$s", "name": "Hooli", "alias": "hooli", "enabled": true, "domains": [{"name": "hooli.example.com"}]}
              ],
              "clients": [
                {"clientId": "svc", "publicClient": false, "secret": "org-import-secret", "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false}
              ],
              "components": {
                "org.keycloak.services.ui.extend.UiTabProvider": [
                  {"name": "M2M settings", "providerId": "m2m-settings",
                   "config": {"error_style": ["rfc"], "default_org_per_day": ["500"], "allow_organization_name_in_authentication_api": ["true"]}}
                ],
                "org.keycloak.services.ui.extend.UiPageProvider": [
                  {"name": "Orders", "providerId": "m2m-apis",
                   "config": {"name": ["Orders"], "identifier": ["%3$s"], "scopes": ["[{\\"key\\":\\"read:orders\\",\\"value\\":\\"\\"}]"]}},
                  {"name": "svc", "providerId": "m2m-client-grants",
                   "config": {"client_id": ["svc"], "audience": ["%3$s"], "scope": ["read:orders"], "organization_usage": ["require"],
                              "organizations": ["umbrella", "%2$s"]}},
                  {"name": "umbrella", "providerId": "m2m-token-quotas",
                   "config": {"organization": ["umbrella"], "per_hour": ["7"], "enforce": ["true"]}}
                ]
              }
            }
            """;

    @Test
    @DisplayName("realm import: grant fields, associations (by alias or id), an organization's quota and the organization settings")
    void realmImport(dev.keycloakm2m.testing.AdminClient admin) {
        String umbrella = java.util.UUID.randomUUID().toString();
        String hooli = java.util.UUID.randomUUID().toString();
        TestRealm imported = TestRealm.importRealm(realm.server(), admin, IMPORTED.formatted(umbrella, hooli, ORDERS));
        try {
            JsonNode grant = imported.get(GRANTS).json().get(0);
            assertThat(grant.get("organization_usage").asText()).isEqualTo("require");
            assertThat(imported.get(GRANTS + "/" + grant.get("id").asText() + "/organizations").json().findValuesAsText("id"))
                    .containsExactly(hooli, umbrella);
            assertThat(imported.get(ORGS + "/umbrella/token-quota").body())
                    .isEqualTo("{\"client_credentials\":{\"per_hour\":7,\"per_day\":null,\"enforce\":true}}");
            JsonNode settings = imported.get("/m2m/settings").json();
            assertThat(settings.at("/default_token_quota/organizations/client_credentials/per_day").asInt()).isEqualTo(500);
            assertThat(settings.get("allow_organization_name_in_authentication_api").asBoolean()).isTrue();

            Client svc = new Client("svc", "org-import-secret", null);
            HttpResult token = imported.clientCredentials(svc, "audience", ORDERS, "organization", "umbrella");
            Jwt jwt = ok(token, imported);
            assertThat(jwt.string("org_id")).isEqualTo(umbrella);
            assertThat(jwt.string("org_name")).isEqualTo("umbrella");
            assertThat(token.requireHeader("RateLimit-Policy")).isEqualTo("\"org_per_hour\";q=7;w=3600");
            assertThat(ok(imported.clientCredentials(svc, "audience", ORDERS, "organization", hooli), imported).string("org_name"))
                    .isEqualTo("hooli");
        } finally {
            imported.close();
        }
        // a grant naming an organization the realm lacks: the import is refused, no realm left behind
        String broken = IMPORTED.formatted(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), ORDERS)
                .replace("\"organizations\": [\"umbrella\",", "\"organizations\": [\"initrode\",");
        HttpResult refused = admin.post("/admin/realms", broken);
        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.json().get("errorMessage").asText()).isEqualTo("keycloak-m2m: realm it-org-import cannot be imported: "
                + "organizations of client grant svc -> " + ORDERS + ": Organization not found: \"initrode\"");
        assertThat(admin.get("/admin/realms/it-org-import").status()).isEqualTo(404);
    }
}
