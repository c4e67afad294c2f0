package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.SETTINGS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.assertError;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Admin REST /m2m/settings: the realm's default audience and error style")
class SettingsIT {

    @Test
    @Order(1)
    @DisplayName("a realm that never saved settings answers with the defaults")
    void defaults(TestRealm realm) {
        HttpResult r = realm.get(SETTINGS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"default_audience\":null,\"error_style\":\"rfc\",\"default_token_quota\":null,"
                + "\"allow_organization_name_in_authentication_api\":false}");
    }

    @Test
    @Order(2)
    @DisplayName("PATCH stores the named fields (creating the console's settings component) and answers 200 with all settings")
    void patch(TestRealm realm) {
        createApi(realm, api("Default", "https://api.example.com/default"));
        HttpResult r = realm.patch(SETTINGS, Map.of("default_audience", "https://api.example.com/default"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().get("default_audience").asText()).isEqualTo("https://api.example.com/default");
        assertThat(r.json().get("error_style").asText()).isEqualTo("rfc");

        r = realm.patch(SETTINGS, Map.of("error_style", "auth0"));
        assertThat(r.body()).isEqualTo("{\"default_audience\":\"https://api.example.com/default\",\"error_style\":\"auth0\",\"default_token_quota\":null,"
                + "\"allow_organization_name_in_authentication_api\":false}");
        assertThat(realm.get(SETTINGS).json()).isEqualTo(r.json());

        // stored in the m2m tables, not as a realm component
        assertThat(realm.get("/components?type=" + TestRealm.TAB_TYPE).json().findValuesAsText("providerId"))
                .doesNotContain("m2m-settings");
    }

    @Test
    @Order(3)
    @DisplayName("invalid values and unknown fields: 400 naming the field, settings unchanged")
    void invalid(TestRealm realm) {
        JsonNode before = realm.get(SETTINGS).json();
        JsonNode e = assertError(realm.patch(SETTINGS, Map.of("error_style", "oauth")), 400, "error_style must be one of: rfc, auth0");
        assertThat(e.get("field").asText()).isEqualTo("error_style");
        assertError(realm.patch(SETTINGS, Map.of("default_audience", "urn:unknown")), 400,
                "default_audience \"urn:unknown\" is not the identifier of an API in this realm");
        assertThat(realm.patch(SETTINGS, Map.of("default_scope", "x")).json().get("field").asText()).isEqualTo("default_scope");
        assertThat(realm.get(SETTINGS).json()).isEqualTo(before);
    }

    @Test
    @Order(4)
    @DisplayName("null resets a field; deleting the default audience's API clears it")
    void resetAndCascade(TestRealm realm) {
        Map<String, Object> reset = new HashMap<>();
        reset.put("error_style", null);
        assertThat(realm.patch(SETTINGS, reset).json().get("error_style").asText()).isEqualTo("rfc");

        assertThat(realm.delete(APIS + "/" + M2mRest.enc("https://api.example.com/default")).status()).isEqualTo(204);
        assertThat(realm.get(SETTINGS).body()).isEqualTo("{\"default_audience\":null,\"error_style\":\"rfc\",\"default_token_quota\":null,"
                + "\"allow_organization_name_in_authentication_api\":false}");
    }
}
