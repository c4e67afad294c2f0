package dev.keycloakm2m.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.provider.ProviderConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

/**
 * The admin console experience, in a real browser (Debian's Chromium driven by playwright-core, see
 * {@link ConsoleBrowser}): the master admin configures an API and a client grant through the declarative-UI
 * pages and provokes each validation error; a realm admin (view-realm, manage-realm, view-clients) edits the API
 * and the M2M settings tab in the realm's own console; a realm admin with view-realm only works in German. The
 * browser run happens once, before the tests; each test then asserts one aspect of what was seen and of the
 * server's state, outside the browser. Screenshots land in {@code target/screenshots/}.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final String API_NAME = "Orders API";
    static final String API = "https://orders.example.com/api";
    static final String CLIENT = "svc-orders";
    static final String CLIENT_WITHOUT_SERVICE_ACCOUNTS = "web-backend";
    static final String EDITOR = "orders-admin";
    static final String VIEWER = "orders-auditor";
    static final int EDITOR_TOKEN_LIFETIME = 3600;
    static final int QUOTA_PER_HOUR = 2;
    static final String SAVE_ERROR = "Error could not save item! ";

    static TestRealm realm;
    static TestRealm.Client client;
    static boolean quotaPage;
    static JsonNode seen;

    @BeforeAll
    static void configureThroughTheConsole(TestRealm testRealm) {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.keycloakm2m.testing.KeycloakVersions.consoleSupported(),
                "console theme: 26.7 only (to be verified on " + dev.keycloakm2m.testing.KeycloakVersions.dist() + ")");
        realm = testRealm;
        HttpResult i18n = realm.put("", Map.of("internationalizationEnabled", true,
                "supportedLocales", List.of("en", "de"), "defaultLocale", "en"));
        assertThat(i18n.status()).as("realm localization: %s", i18n).isEqualTo(204);
        client = realm.createClient(CLIENT);
        Map<String, Object> web = new LinkedHashMap<>();
        web.put("clientId", CLIENT_WITHOUT_SERVICE_ACCOUNTS);
        web.put("publicClient", false);
        web.put("serviceAccountsEnabled", false);
        web.put("standardFlowEnabled", true);
        web.put("redirectUris", List.of("https://app.example.com/*"));
        web.put("secret", "web-backend-secret");
        realm.createClient(web);
        createRealmAdmin(EDITOR, "en", "Admin", "view-realm", "manage-realm", "view-clients");
        createRealmAdmin(VIEWER, "de", "Auditor", "view-realm");
        quotaPage = false;
        for (JsonNode page : realm.admin().get("/admin/serverinfo").json().path("componentTypes").path(Components.PAGE_TYPE)) {
            quotaPage |= Components.QUOTA_PROVIDER_ID.equals(page.path("id").asText());
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("baseUrl", realm.server().baseUrl());
        config.put("realm", realm.name());
        config.put("steps", List.of("admin", "editor", "viewer"));
        config.put("admin", user("admin", "admin", "Configure"));
        config.put("editor", user(EDITOR, password(EDITOR), "Configure"));
        config.put("viewer", user(VIEWER, password(VIEWER), "Konfigurieren"));
        config.put("api", Map.of("name", API_NAME, "identifier", API, "scopes", List.of(
                Map.of("value", "read:orders", "description", "Read orders"),
                Map.of("value", "write:orders", "description", "Create and change orders"))));
        config.put("client", CLIENT);
        config.put("clientWithoutServiceAccounts", CLIENT_WITHOUT_SERVICE_ACCOUNTS);
        config.put("grantScope", "read:orders");
        config.put("unknownScope", "delete:orders");
        config.put("editorTokenLifetime", EDITOR_TOKEN_LIFETIME);
        config.put("errorStyle", "auth0");
        config.put("quota", quotaPage ? Map.of("perHour", QUOTA_PER_HOUR) : null);
        config.put("texts", Map.of("createItem", "Create item", "settingsTab", "M2M"));
        seen = ConsoleBrowser.run(config);
    }

    @Test
    @Order(1)
    @DisplayName("an API with two scopes and a client grant made in the console give a token with that audience and scope")
    void tokenAsConfiguredInTheConsole() throws ParseException {
        assertThat(seen.at("/alerts/apiCreated").asText()).isEqualTo("Saved successfully");
        assertThat(seen.at("/alerts/grantCreated").asText()).isEqualTo("Saved successfully");
        assertThat(seen.at("/alerts/editorApiSaved").asText()).isEqualTo("Saved successfully");

        HttpResult r = realm.clientCredentials(client, "audience", API);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("scope").asText()).isEqualTo("read:orders");
        assertThat(r.json().path("expires_in").asInt()).as("token lifetime the realm admin set").isEqualTo(EDITOR_TOKEN_LIFETIME);
        JWTClaimsSet claims = SignedJWT.parse(r.json().path("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(API);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:orders");
        assertThat((claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000)
                .isEqualTo(EDITOR_TOKEN_LIFETIME);
    }

    @Test
    @Order(2)
    @DisplayName("the client's quota set on the Token quotas page refuses the third token of the hour with 429")
    void quotaFromTheConsole() {
        assertThat(quotaPage).as("the Token quotas page is registered").isTrue();
        assertThat(seen.at("/alerts/quotaCreated").asText()).isEqualTo("Saved successfully");
        // the first token of the hour was taken by tokenAsConfiguredInTheConsole
        assertThat(realm.clientCredentials(client, "audience", API).status()).isEqualTo(200);
        HttpResult third = realm.clientCredentials(client, "audience", API);
        assertThat(third.status()).as("%s", third).isEqualTo(429);
    }

    @Test
    @Order(3)
    @DisplayName("the M2M tab of Realm settings stores the error style: unknown APIs are refused the Auth0 way")
    void settingsTab() {
        assertThat(seen.at("/alerts/settingsSaved").asText()).isEqualTo("Saved successfully");
        HttpResult r = realm.clientCredentials(client, "audience", "https://unknown.example.com");
        assertThat(r.status()).as("%s", r).isEqualTo(403);
        assertThat(r.json().path("error").asText()).isEqualTo("access_denied");
        assertThat(r.json().path("error_description").asText()).isEqualTo("Service not found: https://unknown.example.com");
    }

    @Test
    @DisplayName("server-side validation errors are shown as readable alerts")
    void validationAlerts() {
        assertThat(seen.at("/alerts/duplicateIdentifier").asText())
                .isEqualTo(SAVE_ERROR + ResourceServerValidator.DUPLICATE_IDENTIFIER);
        assertThat(seen.at("/alerts/editorDuplicate").asText())
                .isEqualTo(SAVE_ERROR + ResourceServerValidator.DUPLICATE_IDENTIFIER);
        assertThat(seen.at("/alerts/badLifetime").asText())
                .isEqualTo(SAVE_ERROR + "token_lifetime must be a whole number of seconds between 60 and 2592000");
        assertThat(seen.at("/alerts/noServiceAccounts").asText()).isEqualTo(SAVE_ERROR + "Client \"" + CLIENT_WITHOUT_SERVICE_ACCOUNTS
                + "\" does not have service accounts enabled (Client authentication and Service accounts roles must be on)");
        assertThat(seen.at("/alerts/unknownScope").asText()).isEqualTo(SAVE_ERROR
                + "scope must be a subset of the resource server's scopes; \"" + API + "\" does not define: delete:orders");
        // nothing of the refused writes was stored
        assertThat(components("m2m-apis")).hasSize(1);
        assertThat(components("m2m-client-grants")).hasSize(1);
    }

    @Test
    @DisplayName("the lists show name, identifier and number of scopes, and client, API, scopes and allow-all")
    void lists() {
        assertThat(texts(seen.at("/lists/apis/headers"))).containsExactly("Name", "Identifier", "Number of scopes");
        assertThat(rows(seen.at("/lists/apis/rows"))).containsExactly(List.of(API_NAME, API, "2"));
        assertThat(texts(seen.at("/lists/grants/headers"))).containsExactly("Client", "API identifier", "Scopes", "Allow all scopes");
        assertThat(rows(seen.at("/lists/grants/rows"))).containsExactly(List.of(CLIENT, API, "read:orders", "false"));
        assertThat(texts(seen.at("/texts/nav"))).containsSubsequence("Configure", "APIs", "Client grants");
        assertThat(seen.at("/texts/apisTitle").asText()).isEqualTo("APIs");
    }

    @Test
    @DisplayName("labels and help texts come from our bundles in English and German, and no page shows a raw key")
    void messages() throws IOException {
        assertThat(seen.path("rawKeys")).as("raw message keys seen in the console").isEmpty();
        assertThat(seen.path("pageErrors")).as("uncaught errors in the console").isEmpty();
        assertThat(helpTexts("/helpTexts/api")).isEqualTo(expectedHelp(new dev.keycloakm2m.api.ApiPageProviderFactory().getConfigProperties(), "en"));
        assertThat(helpTexts("/helpTexts/grant")).isEqualTo(expectedHelp(new dev.keycloakm2m.grant.ClientGrantPageProviderFactory().getConfigProperties(), "en"));
        assertThat(helpTexts("/helpTexts/settings")).isEqualTo(expectedHelp(new dev.keycloakm2m.settings.M2mSettingsTabProviderFactory().getConfigProperties(), "en"));
        assertThat(helpTexts("/helpTexts/viewerApi")).isEqualTo(expectedHelp(new dev.keycloakm2m.api.ApiPageProviderFactory().getConfigProperties(), "de"));
        assertThat(helpTexts("/helpTexts/viewerApi")).containsEntry("Token-Gültigkeit (Sekunden)",
                MessageBundlesTest.bundle("de").getProperty("m2m.api.tokenLifetime.help"));
        assertThat(texts(seen.at("/lists/viewerGrants/headers"))).containsExactly("Client", "API-Identifier", "Scopes", "Alle Scopes erlauben");
    }

    @Test
    @DisplayName("a realm admin with view-realm only sees the pages, and saving is refused with a 403 alert and changes nothing")
    void viewRealmOnly() {
        assertThat(texts(seen.at("/texts/viewerNav"))).contains("APIs", "Client-Berechtigungen");
        assertThat(rows(seen.at("/lists/viewerApis/rows"))).containsExactly(List.of(API_NAME, API, "2"));
        assertThat(seen.at("/alerts/viewerSave").asText()).isEqualTo("Eintrag konnte nicht gespeichert werden: HTTP 403 Forbidden");
        assertThat(components("m2m-apis")).extracting(c -> c.at("/config/name/0").asText()).containsExactly(API_NAME);
    }

    // ---- helpers

    private static void createRealmAdmin(String username, String locale, String lastName, String... roles) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@example.com");
        user.put("emailVerified", true);
        user.put("firstName", "Orders");
        user.put("lastName", lastName);
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

    /** {@code configure}: the navigation's "Configure" group in the user's language, to wait for the language. */
    private static Map<String, String> user(String username, String password, String configure) {
        return Map.of("username", username, "password", password, "configure", configure);
    }

    private static List<JsonNode> components(String providerId) {
        List<JsonNode> out = new ArrayList<>();
        realm.get("/components?type=" + Components.PAGE_TYPE).json().forEach(c -> {
            if (providerId.equals(c.path("providerId").asText())) out.add(c);
        });
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<List<String>> rows(JsonNode rows) {
        List<List<String>> out = new ArrayList<>();
        rows.forEach(r -> out.add(texts(r)));
        return out;
    }

    private static Map<String, String> helpTexts(String pointer) {
        Map<String, String> out = new LinkedHashMap<>();
        seen.at(pointer).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Label -> help text of every property the console renders as a form field (derived values are not fields). */
    private static Map<String, String> expectedHelp(List<ProviderConfigProperty> properties, String locale) throws IOException {
        Properties bundle = MessageBundlesTest.bundle(locale);
        Map<String, String> out = new LinkedHashMap<>();
        for (ProviderConfigProperty p : properties) {
            if (Components.DERIVED_TYPE.equals(p.getType())) continue;
            out.put(bundle.getProperty(p.getLabel()), bundle.getProperty(p.getHelpText()));
        }
        return out;
    }
}
