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
    }
}
