package dev.keycloakm2m.exportimport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.KeycloakVersions;
import dev.keycloakm2m.testing.TestRealm;

/**
 * Realm export and import with Keycloak's own commands, not the REST API: APIs (several algorithms and dialects, one
 * on a non-default ES256 key provider), grants (one with allow_all_scopes) and settings (default audience, auth0
 * error style) are created on the shared test server, exported with {@code kc.sh export}, and imported with
 * {@code kc.sh import} into a second, empty installation that runs WITHOUT {@code --features=declarative-ui}. There
 * the admin API must show the same APIs, grants, quota and settings and the token endpoint must answer every request as
 * before. The exporter adds the m2m data to the realm file in the component format realm import reads.
 *
 * <p>{@code kc.sh export} cannot run next to the running dev server: the dev-file H2 database is locked by it
 * ("Database may be already in use ... The file is locked"), and without {@code --optimized} the command would first
 * re-augment the installation the server runs from. So the shared server is stopped around the export and started
 * again; the admin API's partial export is no substitute, the point is Keycloak's own commands.
 */
@ExtendWith(KeycloakExtension.class)
@DisplayName("Realm export with kc.sh export and kc.sh import into an empty server")
class RealmExportImportIT {

    static final String A = "https://api.test/a";
    static final String B = "https://api.test/b";
    static final String C = "urn:test:c";
    static final Duration KC_TIMEOUT = Duration.ofMinutes(30); // a ceiling: a busy machine may need many minutes

    static KeycloakServer target;
    static TestRealm imported;
    static Map<String, Object> dataBefore;
    static Map<String, Object> dataAfter;
    static Map<String, Map<String, Object>> tokensBefore;
    static Map<String, Map<String, Object>> tokensAfter;
    static TestRealm.Client svcA;
    static TestRealm.Client svcB;
    static String failedImport;

    @BeforeAll
    static void exportAndImport(KeycloakServer shared, TestRealm realm) throws Exception {
        HttpResult key = realm.post("/components", keyProvider(realm.id(), "ecdsa-es256", "ecdsa-generated",
                Map.of("priority", "100", "ecdsaEllipticCurveKey", "P-256")));
        assertThat(key.status()).as("%s", key).isEqualTo(201);
        svcA = realm.createClient("svc-a");
        svcB = realm.createClient("svc-b");
        realm.createApi("API A", A, scopes("a:read", "a:write"), Map.of("token_lifetime", "600"));
        realm.createApi("API B", B, scopes("b:read", "b:write"),
                Map.of("signing_alg", "ES256", "token_dialect", "rfc9068_profile_authz", "token_lifetime", "120"));
        realm.createApi("API C", C, scopes("c:x"), Map.of("client_policy", "deny_all", "token_dialect", "access_token_authz"));
        realm.createGrant("svc-a", A, List.of("a:read"), false);
        realm.createGrant("svc-a", B, List.of(), true);
        realm.createGrant("svc-b", A, List.of("a:read", "a:write"), false);
        realm.createGrant("svc-b", C, List.of("c:x"), false);
        realm.putSettings(Map.of("default_audience", A, "error_style", "auth0", "default_per_day", "5000"));
        HttpResult quota = realm.put("/m2m/clients/svc-b/token-quota",
                Map.of("client_credentials", Map.of("per_hour", 50, "per_day", 500, "enforce", true)));
        assertThat(quota.status()).as("%s", quota).isEqualTo(201);
        // limits far above what the requests below need: they must travel, not change any answer
        HttpResult policy = realm.post("/m2m/rate-limit-policies", Map.of("consumer_selector", "client_id:svc-a", "limit", 1000, "burst", 2000));
        assertThat(policy.status()).as("%s", policy).isEqualTo(201);
        HttpResult byDefault = realm.post("/m2m/rate-limit-policies", Map.of("consumer_selector", "default", "action", "log", "limit", 500));
        assertThat(byDefault.status()).as("%s", byDefault).isEqualTo(201);
        // organizations: acme associated with svc-a's grant for A (organization_usage allow), acme's own quota, the
        // realm default for organizations and org_name in tokens
        assertThat(realm.put("", Map.of("organizationsEnabled", true)).status()).isEqualTo(204);
        HttpResult org = realm.post("/organizations", Map.of("name", "Acme", "alias", "acme", "enabled", true));
        assertThat(org.status()).as("%s", org).isEqualTo(201);
        String grantA = realm.get("/m2m/client-grants?client_id=svc-a&audience=" + Http.enc(A)).json().get(0).get("id").asText();
        assertThat(realm.patch("/m2m/client-grants/" + grantA, Map.of("organization_usage", "allow")).status()).isEqualTo(200);
        assertThat(realm.post("/m2m/organizations/acme/client-grants", Map.of("grant_id", grantA)).status()).isEqualTo(201);
        assertThat(realm.put("/m2m/organizations/acme/token-quota", Map.of("client_credentials", Map.of("per_day", 70))).status())
                .isEqualTo(201);
        assertThat(realm.patch("/m2m/settings", Map.of("default_token_quota", Map.of("organizations",
                Map.of("client_credentials", Map.of("per_hour", 9))), "allow_organization_name_in_authentication_api", true))
                .status()).isEqualTo(200);
        dataBefore = ourData(realm);
        tokensBefore = tokenOutcomes(realm);

        Path work = Path.of(System.getProperty("m2m.test-output", "target")).resolve("export-import");
        Files.createDirectories(work);
        // kc.sh import --dir imports every <realm>-realm.json in the folder
        Path toImport = work.resolve("to-import");
        deleteFolder(toImport);
        Files.createDirectories(toImport);
        Path exported = toImport.resolve(realm.name() + "-realm.json");
        Files.writeString(toImport.resolve("import-order-realm.json"), GRANT_BEFORE_API);
        Path missingApi = work.resolve("import-missing-api-realm.json");
        Files.writeString(missingApi, GRANT_FOR_MISSING_API);

        shared.stop();
        try {
            // --optimized: use the server's own build instead of re-augmenting the installation for the export
            shared.kc(ports("export", "--optimized", "--realm", realm.name(), "--file", exported.toString()),
                    KC_TIMEOUT);
        } finally {
            shared.startAgain();
        }

        target = KeycloakServer.prepare(KeycloakServer.options().name("keycloak-import-target")
                .home(work.resolve("keycloak-import-target")).mode(KeycloakServer.Mode.PRODUCTION)
                .provider(KeycloakExtension.jar()));
        // the first import creates the installation's master realm: give it the admin the harness logs in with
        target.kc(ports("import", "--optimized", "--dir", toImport.toString(),
                "--bootstrap-admin-username=" + KeycloakServer.ADMIN_USER,
                "--bootstrap-admin-password=" + KeycloakServer.ADMIN_PASSWORD), KC_TIMEOUT);
        try {
            target.kc(ports("import", "--optimized", "--file", missingApi.toString()), KC_TIMEOUT);
            failedImport = null;
        } catch (IllegalStateException e) {
            failedImport = e.getMessage();
        }
        target.startAgain();
        imported = TestRealm.existing(target, AdminClient.master(target), realm.name());
        dataAfter = ourData(imported);
        tokensAfter = tokenOutcomes(imported);
    }

    /**
     * A kc.sh export/import command on free ports (it starts Keycloak without serving, but other servers run on this
     * machine): the management port always; the HTTP port from Keycloak 26.6 on (26.4 and 26.5 refuse {@code --http-port}
     * for these commands, "not valid for command export").
     */
    static List<String> ports(String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of(command));
        if (KeycloakVersions.atLeast(26, 6)) cmd.add("--http-port=" + KeycloakServer.freePort());
        cmd.add("--http-management-port=" + KeycloakServer.freePort());
        return cmd;
    }

    @AfterAll
    static void stopTarget() {
        if (target != null) target.close();
    }

    @Test
    @DisplayName("the empty server runs without declarative-ui: everything below works without the console feature")
    void featureOff() {
        JsonNode info = imported.admin().get("/admin/serverinfo").json();
        assertThat(info.at("/profileInfo/disabledFeatures").toString()).contains("DECLARATIVE_UI");
        assertThat(info.at("/providers/oauth2-grant-type/providers/client_credentials/operationalInfo/extension").asText())
                .isEqualTo("keycloak-m2m");
    }

    @Test
    @DisplayName("APIs, grants, organization associations, the token quotas, rate-limit policies and settings are the same (ids included) after the round trip, none left as a component")
    void dataSurvives() {
        assertThat((List<?>) dataBefore.get("acme client_grants")).hasSize(1);
        assertThat(dataBefore.get("acme token_quota").toString()).contains("per_day=70");
        assertThat((List<?>) dataBefore.get("svc-a -> A organizations")).hasSize(1);
        assertThat(dataBefore.get("settings").toString()).contains("organizations").contains("allow_organization_name_in_authentication_api=true");
        assertThat((List<?>) dataBefore.get("resource_servers")).hasSize(3);
        assertThat((List<?>) dataBefore.get("client_grants")).hasSize(4);
        assertThat(dataBefore.get("svc-b token_quota").toString()).contains("per_hour=50");
        assertThat(dataBefore.get("settings").toString()).contains("auth0");
        assertThat((List<?>) dataBefore.get("rate_limit_policies")).hasSize(2);
        assertThat(dataAfter).isEqualTo(dataBefore);
        assertThat(imported.get("/components?type=" + TestRealm.PAGE_TYPE).json().findValuesAsText("providerId"))
                .noneMatch(id -> id.startsWith("m2m-"));
        assertThat(imported.get("/components?type=" + TestRealm.TAB_TYPE).json().findValuesAsText("providerId"))
                .noneMatch(id -> id.startsWith("m2m-"));
    }

    @Test
    @DisplayName("every token request gets the same answer: aud, scope, permissions, lifetime, alg, typ, kid, sub, errors")
    void tokensSurvive() {
        assertThat(tokensAfter).isEqualTo(tokensBefore);
        // what the equal answers are, spelled out
        assertThat(tokensAfter.get("svc-a -> A")).containsEntry("alg", "RS256").containsEntry("typ", "JWT")
                .containsEntry("aud", A).containsEntry("scope", "a:read").containsEntry("lifetime", 600L)
                .containsEntry("gty", "client-credentials").containsEntry("verified", true);
        assertThat(tokensAfter.get("svc-a -> B (allow_all_scopes)")).containsEntry("alg", "ES256").containsEntry("typ", "at+jwt")
                .containsEntry("aud", B).containsEntry("scope", "b:read b:write")
                .containsEntry("permissions", List.of("b:read", "b:write")).containsEntry("client_id", "svc-a")
                .containsEntry("lifetime", 120L).containsEntry("verified", true);
        assertThat(tokensAfter.get("svc-b -> A")).containsEntry("scope", "a:read a:write");
        assertThat(tokensAfter.get("svc-a, no audience (default_audience)")).containsEntry("aud", A).containsEntry("scope", "a:read");
        assertThat(tokensAfter.get("svc-a -> A for acme")).containsEntry("aud", A).containsEntry("org_name", "acme")
                .containsEntry("verified", true);
        assertThat((String) tokensAfter.get("svc-a -> A for acme").get("org_id")).isNotBlank();
        assertThat(tokensAfter.get("svc-b -> A for acme (organization_usage deny)")).containsEntry("status", 403)
                .containsEntry("error", "access_denied");
    }

    @Test
    @DisplayName("token quotas survive: the client's own quota and the realm default, reported in Auth0's header")
    void quotasSurvive() {
        HttpResult own = imported.clientCredentials(new TestRealm.Client("svc-b", svcB.secret(), null), "audience", A);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.requireHeader("Auth0-Client-Quota-Limit")).matches("b=per_hour;q=50;r=\\d+;t=\\d+,b=per_day;q=500;r=\\d+;t=\\d+");
        HttpResult byDefault = imported.clientCredentials(svcA, "audience", A);
        assertThat(byDefault.requireHeader("Auth0-Client-Quota-Limit")).matches("b=per_day;q=5000;r=\\d+;t=\\d+");
    }

    @Test
    @DisplayName("the auth0 error style survives: refusals are 403 access_denied with Auth0's descriptions")
    void auth0ErrorStyle() {
        assertThat(tokensAfter.get("svc-a -> unknown API")).containsEntry("status", 403)
                .containsEntry("error", "access_denied").containsEntry("error_description", "Service not found: https://api.test/unknown");
        assertThat(tokensAfter.get("svc-b -> B (no grant)")).containsEntry("status", 403).containsEntry("error_description",
                "Client is not authorized to access \"" + B + "\". You need to create a \"client-grant\" associated to this API.");
        assertThat(tokensAfter.get("svc-b -> C (deny_all)")).containsEntry("status", 403).containsEntry("error", "access_denied");
        assertThat(tokensAfter.get("svc-a -> A, scope a:write (not granted)")).containsEntry("status", 403)
                .containsEntry("error_description", "Client has not been granted scopes: a:write");
    }

    @Test
    @DisplayName("allow_all_scopes still means future scopes too: a scope added to API B after the import is issued to svc-a")
    void allowAllScopesAfterImport() {
        HttpResult patched = imported.patch("/m2m/resource-servers/" + java.net.URLEncoder.encode(B, java.nio.charset.StandardCharsets.UTF_8),
                Map.of("scopes", List.of(Map.of("value", "b:read", "description", ""), Map.of("value", "b:write", "description", ""),
                        Map.of("value", "b:admin", "description", "added after the import"))));
        assertThat(patched.status()).as("%s", patched).isEqualTo(200);
        JsonNode token = imported.clientCredentials(svcA, "audience", B).json();
        assertThat(token.get("scope").asText()).isEqualTo("b:read b:write b:admin");
    }

    @Test
    @DisplayName("a realm file listing the grant and the default audience before their API (and the ES256 key after it) imports")
    void orderIndependentImport() {
        TestRealm order = TestRealm.existing(target, imported.admin(), "import-order");
        assertThat(order.get("/m2m/client-grants?client_id=svc").json().findValuesAsText("audience"))
                .containsExactly("https://api.test/late");
        JsonNode response = order.clientCredentials(new TestRealm.Client("svc", "import-order-secret", null)).json();
        SignedJWT jwt = parse(response.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(claims(jwt).getAudience()).containsExactly("https://api.test/late");
        assertThat(response.get("scope").asText()).isEqualTo("late:read");
    }

    @Test
    @DisplayName("a realm file with a grant for a missing API fails kc.sh import with a clear message and leaves no realm behind")
    void missingApiFailsImport() {
        assertThat(failedImport).as("kc.sh import must fail").isNotNull()
                .contains("keycloak-m2m: realm import-missing-api cannot be imported: "
                        + "client grant svc -> https://api.test/missing: Resource server not found");
        assertThat(imported.admin().get("/admin/realms/import-missing-api").status()).isEqualTo(404);
    }

    @Test
    @DisplayName("the same file is refused by the admin API's realm import too: 400 with the message, no realm")
    void missingApiFailsAdminImport(AdminClient admin) {
        HttpResult r = admin.post("/admin/realms", GRANT_FOR_MISSING_API);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errorMessage").asText()).isEqualTo("keycloak-m2m: realm import-missing-api cannot be imported: "
                + "client grant svc -> https://api.test/missing: Resource server not found");
        assertThat(admin.get("/admin/realms/import-missing-api").status()).isEqualTo(404);
    }

    // ---- what is compared

    /** What the admin API shows of the realm's m2m data. */
    static Map<String, Object> ourData(TestRealm realm) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resource_servers", Http.JSON.convertValue(realm.get("/m2m/resource-servers?per_page=100").json(), List.class));
        out.put("client_grants", Http.JSON.convertValue(realm.get("/m2m/client-grants?per_page=100").json(), List.class));
        out.put("settings", Http.JSON.convertValue(realm.get("/m2m/settings").json(), Map.class));
        out.put("svc-b token_quota", Http.JSON.convertValue(realm.get("/m2m/clients/svc-b/token-quota").json(), Map.class));
        out.put("rate_limit_policies", Http.JSON.convertValue(realm.get("/m2m/rate-limit-policies").json(), List.class));
        out.put("acme client_grants", Http.JSON.convertValue(realm.get("/m2m/organizations/acme/client-grants").json(), List.class));
        out.put("acme token_quota", Http.JSON.convertValue(realm.get("/m2m/organizations/acme/token-quota").json(), Map.class));
        String grantA = realm.get("/m2m/client-grants?client_id=svc-a&audience=" + Http.enc(A)).json().get(0).get("id").asText();
        out.put("svc-a -> A organizations", Http.JSON.convertValue(realm.get("/m2m/client-grants/" + grantA + "/organizations").json(), List.class));
        return out;
    }

    /** The same token requests against a realm; each answer reduced to what must not change. */
    static Map<String, Map<String, Object>> tokenOutcomes(TestRealm realm) throws Exception {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("svc-a -> A", outcome(realm, realm.clientCredentials(svcA, "audience", A)));
        out.put("svc-a -> B (allow_all_scopes)", outcome(realm, realm.clientCredentials(svcA, "audience", B)));
        out.put("svc-b -> A", outcome(realm, realm.clientCredentials(svcB, "audience", A)));
        out.put("svc-a, no audience (default_audience)", outcome(realm, realm.clientCredentials(svcA)));
        out.put("svc-b -> B (no grant)", outcome(realm, realm.clientCredentials(svcB, "audience", B)));
        out.put("svc-b -> C (deny_all)", outcome(realm, realm.clientCredentials(svcB, "audience", C)));
        out.put("svc-a -> unknown API", outcome(realm, realm.clientCredentials(svcA, "audience", "https://api.test/unknown")));
        out.put("svc-a -> A, scope a:write (not granted)", outcome(realm, realm.clientCredentials(svcA, "audience", A, "scope", "a:write")));
        out.put("svc-a -> A for acme", outcome(realm, realm.clientCredentials(svcA, "audience", A, "organization", "acme")));
        out.put("svc-b -> A for acme (organization_usage deny)", outcome(realm, realm.clientCredentials(svcB, "audience", A, "organization", "acme")));
        return out;
    }

    static Map<String, Object> outcome(TestRealm realm, HttpResult r) throws Exception {
        Map<String, Object> o = new TreeMap<>();
        JsonNode json = r.json();
        o.put("status", r.status());
        if (r.status() != 200) {
            o.put("error", json.path("error").asText());
            o.put("error_description", json.path("error_description").asText());
            return o;
        }
        o.put("expires_in", json.get("expires_in").asLong());
        o.put("response_scope", json.path("scope").asText(null));
        SignedJWT jwt = parse(json.get("access_token").asText());
        JWTClaimsSet claims = claims(jwt);
        o.put("alg", jwt.getHeader().getAlgorithm().getName());
        o.put("typ", jwt.getHeader().getType() == null ? null : jwt.getHeader().getType().getType());
        o.put("kid", jwt.getHeader().getKeyID());
        o.put("verified", verify(jwt, realm));
        o.put("iss_is_realm", realm.issuer().equals(claims.getIssuer()));
        o.put("aud", String.join(" ", claims.getAudience()));
        o.put("sub", claims.getSubject());
        o.put("lifetime", (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
        for (String name : List.of("scope", "azp", "client_id", "gty", "permissions", "org_id", "org_name")) {
            o.put(name, claims.getClaim(name));
        }
        return o;
    }

    /** Signature check against the JWKS of the realm that issued the token. */
    static boolean verify(SignedJWT jwt, TestRealm realm) throws Exception {
        JWKSet jwks = JWKSet.load(URI.create(realm.jwksUrl()).toURL());
        AsymmetricJWK jwk = (AsymmetricJWK) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        if (jwk == null) return false;
        Key key = jwk.toPublicKey();
        return jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key));
    }

    static SignedJWT parse(String token) {
        try {
            return SignedJWT.parse(token);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static void deleteFolder(Path folder) throws java.io.IOException {
        if (!Files.exists(folder)) return;
        try (var paths = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    static Map<String, String> scopes(String... values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String v : values) m.put(v, "scope " + v);
        return m;
    }

    static Map<String, Object> keyProvider(String realmId, String name, String providerId, Map<String, String> config) {
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", name);
        rep.put("providerId", providerId);
        rep.put("providerType", "org.keycloak.keys.KeyProvider");
        rep.put("parentId", realmId);
        rep.put("config", TestRealm.componentConfig(config));
        return rep;
    }

    // ---- hand-written realm files (as admins write them: no ids)

    /** Settings first, then the grant, then its API, then the ES256 key the API needs. */
    static final String GRANT_BEFORE_API = """
            {
              "realm": "import-order",
              "enabled": true,
              "clients": [
                {"clientId": "svc", "publicClient": false, "secret": "import-order-secret", "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false}
              ],
              "components": {
                "org.keycloak.services.ui.extend.UiTabProvider": [
                  {"name": "M2M settings", "providerId": "m2m-settings",
                   "config": {"default_audience": ["https://api.test/late"], "error_style": ["rfc"]}}
                ],
                "org.keycloak.services.ui.extend.UiPageProvider": [
                  {"name": "svc", "providerId": "m2m-client-grants",
                   "config": {"client_id": ["svc"], "audience": ["https://api.test/late"], "scope": ["late:read"]}},
                  {"name": "Late API", "providerId": "m2m-apis",
                   "config": {"name": ["Late API"], "identifier": ["https://api.test/late"], "signing_alg": ["ES256"],
                              "scopes": ["[{\\"key\\":\\"late:read\\",\\"value\\":\\"\\"}]"]}}
                ],
                "org.keycloak.keys.KeyProvider": [
                  {"name": "ecdsa", "providerId": "ecdsa-generated", "config": {"priority": ["100"], "ecdsaEllipticCurveKey": ["P-256"]}}
                ]
              }
            }
            """;

    static final String GRANT_FOR_MISSING_API = """
            {
              "realm": "import-missing-api",
              "enabled": true,
              "clients": [
                {"clientId": "svc", "publicClient": false, "secret": "s", "serviceAccountsEnabled": true, "standardFlowEnabled": false}
              ],
              "components": {
                "org.keycloak.services.ui.extend.UiPageProvider": [
                  {"name": "svc", "providerId": "m2m-client-grants",
                   "config": {"client_id": ["svc"], "audience": ["https://api.test/missing"], "scope": ["x"]}}
                ]
              }
            }
            """;
}
