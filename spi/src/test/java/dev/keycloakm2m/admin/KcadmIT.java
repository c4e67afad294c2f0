package dev.keycloakm2m.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.KeycloakServer;
import dev.keycloakm2m.testing.TestRealm;

/** The distribution's own kcadm.sh against the M2M admin API, as in the README. */
@ExtendWith(KeycloakExtension.class)
@DisplayName("kcadm.sh creates, lists and deletes resource servers and client grants, sets token quotas")
class KcadmIT {

    record Run(int exit, String out) {
    }

    static int masterTokenLifespan;

    /**
     * kcadm logs in to master, whose access tokens live 60 s. On a busy machine one kcadm JVM can take longer than that
     * to start, so it sends a token it still believed valid and gets 401 (seen at a load average of 30): longer-lived
     * admin tokens while this class runs, restored afterwards.
     */
    @BeforeAll
    static void longerLivedAdminTokens(AdminClient admin) {
        masterTokenLifespan = admin.get("/admin/realms/master").json().get("accessTokenLifespan").asInt();
        assertThat(admin.put("/admin/realms/master", Map.of("accessTokenLifespan", 1800)).status()).isEqualTo(204);
    }

    @AfterAll
    static void restoreAdminTokenLifespan(AdminClient admin) {
        if (masterTokenLifespan > 0) admin.put("/admin/realms/master", Map.of("accessTokenLifespan", masterTokenLifespan));
    }

    private static Run kcadm(KeycloakServer server, Path config, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(server.home().resolve("bin/kcadm.sh").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--config", config.toString()));
        Path out = Files.createTempFile(config.getParent(), "kcadm-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_"));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) { // generous: the JVM of kcadm starts slowly on a busy machine
            p.destroyForcibly();
            throw new AssertionError("kcadm " + String.join(" ", args) + " timed out");
        }
        return new Run(p.exitValue(), Files.readString(out));
    }

    @Test
    @DisplayName("the README's kcadm block: login, create an API, a client and its grant, list them, see the error message of a duplicate, delete the grant")
    void createAndList(KeycloakServer server, TestRealm realm, @TempDir Path tmp) throws Exception {
        String shipping = "https://api.example.com/shipping";
        Path config = tmp.resolve("kcadm.config");
        Run login = kcadm(server, config, "config", "credentials", "--server", server.baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", KeycloakServer.ADMIN_PASSWORD);
        assertThat(login.exit()).as(login.out()).isZero();

        Run api = kcadm(server, config, "create", "m2m/resource-servers", "-r", realm.name(), "-i",
                "-s", "name=Shipping", "-s", "identifier=" + shipping,
                "-s", "scopes=[{\"value\":\"read:shipments\",\"description\":\"Read shipments\"}]",
                "-s", "token_lifetime=3600");
        assertThat(api.exit()).as(api.out()).isZero();
        String apiId = api.out().trim();
        assertThat(realm.get(M2mRest.APIS + "/" + apiId).json().get("token_lifetime").asInt()).isEqualTo(3600);

        Run client = kcadm(server, config, "create", "clients", "-r", realm.name(), "-s", "clientId=shipping-sync",
                "-s", "secret=demo-only-shipping-sync-secret", "-s", "publicClient=false", "-s", "serviceAccountsEnabled=true",
                "-s", "standardFlowEnabled=false");
        assertThat(client.exit()).as(client.out()).isZero();
        assertThat(client.out()).startsWith("Created new client with id '");

        Run grant = kcadm(server, config, "create", "m2m/client-grants", "-r", realm.name(), "-i",
                "-s", "client_id=shipping-sync", "-s", "audience=" + shipping, "-s", "scope=[\"read:shipments\"]");
        assertThat(grant.exit()).as(grant.out()).isZero();
        String grantId = grant.out().trim();

        Run apis = kcadm(server, config, "get", "m2m/resource-servers", "-r", realm.name(), "--fields", "identifier");
        assertThat(apis.exit()).as(apis.out()).isZero();
        assertThat(Http.JSON.readTree(apis.out())).isEqualTo(Http.JSON.readTree("[{\"identifier\":\"" + shipping + "\"}]"));

        Run grants = kcadm(server, config, "get", "m2m/client-grants", "-r", realm.name(), "-q", "client_id=shipping-sync");
        assertThat(grants.exit()).as(grants.out()).isZero();
        JsonNode listedGrants = Http.JSON.readTree(grants.out());
        assertThat(listedGrants.size()).isEqualTo(1);
        assertThat(listedGrants.get(0).get("id").asText()).isEqualTo(grantId);
        assertThat(listedGrants.get(0).get("scope").toString()).isEqualTo("[\"read:shipments\"]");

        Run duplicate = kcadm(server, config, "create", "m2m/resource-servers", "-r", realm.name(),
                "-s", "name=Shipping", "-s", "identifier=" + shipping);
        assertThat(duplicate.exit()).isNotZero();
        assertThat(duplicate.out()).contains("A resource server with the same identifier already exists.");

        var token = realm.clientCredentials(new TestRealm.Client("shipping-sync", "demo-only-shipping-sync-secret", null),
                "audience", shipping);
        assertThat(token.status()).as("%s", token).isEqualTo(200);
        assertThat(token.json().get("scope").asText()).isEqualTo("read:shipments");

        Run delete = kcadm(server, config, "delete", "m2m/client-grants/" + grantId, "-r", realm.name());
        assertThat(delete.exit()).as(delete.out()).isZero();
        assertThat(realm.get(M2mRest.GRANTS + "/" + grantId).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("kcadm update sets a token quota (--no-merge) and changes one field of it; get lists token usage, as in the README")
    void tokenQuota(KeycloakServer server, TestRealm realm, @TempDir Path tmp) throws Exception {
        realm.createClient("svc-kcadm-quota");
        Path config = tmp.resolve("kcadm.config");
        Run login = kcadm(server, config, "config", "credentials", "--server", server.baseUrl(), "--realm", "master",
                "--user", KeycloakServer.ADMIN_USER, "--password", KeycloakServer.ADMIN_PASSWORD);
        assertThat(login.exit()).as(login.out()).isZero();
        String quota = "m2m/clients/svc-kcadm-quota/token-quota";

        Run set = kcadm(server, config, "update", quota, "-r", realm.name(), "--no-merge", "-s", "client_credentials.per_hour=100");
        assertThat(set.exit()).as(set.out()).isZero();
        assertThat(realm.get("/" + quota).body()).isEqualTo("{\"client_credentials\":{\"per_hour\":100,\"per_day\":null,\"enforce\":true}}");

        Run change = kcadm(server, config, "update", quota, "-r", realm.name(), "-s", "client_credentials.per_day=2000");
        assertThat(change.exit()).as(change.out()).isZero();
        assertThat(realm.get("/" + quota).body()).isEqualTo("{\"client_credentials\":{\"per_hour\":100,\"per_day\":2000,\"enforce\":true}}");

        Run usage = kcadm(server, config, "get", "m2m/token-usage", "-r", realm.name(), "-q", "sort=per_hour:-1");
        assertThat(usage.exit()).as(usage.out()).isZero();
        JsonNode listed = Http.JSON.readTree(usage.out());
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("client_id").asText()).isEqualTo("svc-kcadm-quota");
        assertThat(listed.get(0).at("/per_day/quota").asInt()).isEqualTo(2000);
    }
}
