package dev.keycloakm2m;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.AdminClient;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;

@ExtendWith(KeycloakExtension.class)
class ServerInfoIT {

    @Test
    @DisplayName("server info lists our client_credentials grant with the extension version from the jar manifest")
    void grantTypeReportsVersion(AdminClient admin) {
        HttpResult r = admin.get("/admin/serverinfo");
        assertThat(r.status()).isEqualTo(200);
        JsonNode grant = r.json().at("/providers/oauth2-grant-type/providers/client_credentials");
        assertThat(grant.isMissingNode()).as("client_credentials provider in server info").isFalse();
        assertThat(grant.at("/operationalInfo/extension").asText()).isEqualTo("keycloak-m2m");
        assertThat(grant.at("/operationalInfo/version").asText()).isEqualTo(System.getProperty("m2m.version"));
    }

    @Test
    @DisplayName("server info lists the M2M admin REST extension with its path and the extension version")
    void adminRestReportsVersion(AdminClient admin) {
        JsonNode rest = admin.get("/admin/serverinfo").json().at("/providers/admin-realm-restapi-extension/providers/m2m");
        assertThat(rest.isMissingNode()).as("m2m admin REST provider in server info").isFalse();
        assertThat(rest.at("/operationalInfo/version").asText()).isEqualTo(System.getProperty("m2m.version"));
        assertThat(rest.at("/operationalInfo/path").asText()).isEqualTo("/admin/realms/{realm}/m2m");
        assertThat(rest.at("/operationalInfo/metrics-client-labels").asText()).as("server option, default").isEqualTo("true");
    }

    @Test
    @DisplayName("every provider factory of the jar reports the extension version to server info")
    void everyFactoryReportsVersion(AdminClient admin) {
        JsonNode providers = admin.get("/admin/serverinfo").json().get("providers");
        java.util.Map<String, String> ours = new java.util.TreeMap<>();
        providers.fields().forEachRemaining(spi -> spi.getValue().path("providers").fields().forEachRemaining(p -> {
            if ("keycloak-m2m".equals(p.getValue().at("/operationalInfo/extension").asText())) {
                ours.put(spi.getKey() + "/" + p.getKey(), p.getValue().at("/operationalInfo/version").asText());
            }
        }));
        assertThat(ours.keySet()).containsExactlyInAnyOrder(
                "oauth2-grant-type/client_credentials",
                "oauth2-token-introspection/access_token",
                "ui-page/m2m-apis",
                "ui-page/m2m-client-grants",
                "ui-page/m2m-token-quotas",
                "ui-page/m2m-rate-limit-policies",
                "ui-tab/m2m-settings",
                "jpa-entity-provider/m2m-quota",
                "admin-realm-restapi-extension/m2m",
                "export/dir",
                "export/singleFile");
        assertThat(ours.values()).containsOnly(System.getProperty("m2m.version"));
    }
}
