package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.Refusals.json;
import static dev.keycloakm2m.admin.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsDraft;

class ClientGrantJsonTest {

    private static final ClientGrant STORED = new ClientGrant("g-1", "svc", "urn:a", List.of("r", "w"), false);

    @Test
    @DisplayName("the Auth0 shape of a grant")
    void toJson() {
        assertThat(ClientGrantJson.toJson(STORED).toString())
                .isEqualTo("{\"id\":\"g-1\",\"client_id\":\"svc\",\"audience\":\"urn:a\",\"scope\":[\"r\",\"w\"],\"allow_all_scopes\":false,"
                        + "\"organization_usage\":\"deny\",\"allow_any_organization\":false}");
    }

    @Test
    @DisplayName("POST: scope defaults to none; types are checked, values are left to the validator")
    void create() {
        assertThat(ClientGrantJson.forCreate(json("{\"client_id\":\"svc\",\"audience\":\"urn:a\"}")))
                .isEqualTo(new ClientGrantDraft(null, "svc", "urn:a", List.of(), null));
        assertThat(ClientGrantJson.forCreate(json("{\"client_id\":\"svc\",\"audience\":\"urn:a\",\"scope\":[\"r\"],\"allow_all_scopes\":true}")))
                .isEqualTo(new ClientGrantDraft(null, "svc", "urn:a", List.of("r"), "true"));
        assertThat(ClientGrantJson.forCreate(json("{\"client_id\":\"svc\",\"audience\":\"urn:a\",\"organization_usage\":\"allow\","
                + "\"allow_any_organization\":true}")))
                .isEqualTo(new ClientGrantDraft(null, "svc", "urn:a", List.of(), null, "allow", "true"));
        assertThat(refused(() -> ClientGrantJson.forCreate(json("{\"allow_any_organization\":\"yes\"}"))).getMessage())
                .isEqualTo("allow_any_organization must be true or false");
        assertThat(refused(() -> ClientGrantJson.forCreate(json("{\"scope\":\"r w\"}"))).getMessage()).isEqualTo("scope must be an array of strings");
        assertThat(refused(() -> ClientGrantJson.forCreate(json("{\"scope\":[\"r\",null]}"))).getMessage()).isEqualTo("scope[1] must be a string");
        assertThat(refused(() -> ClientGrantJson.forCreate(json("{\"allow_all_scopes\":\"yes\"}"))).getMessage())
                .isEqualTo("allow_all_scopes must be true or false");
        assertThat(refused(() -> ClientGrantJson.forCreate(json("{\"subject_type\":\"client\"}"))).field()).isEqualTo("subject_type");
    }

    @Test
    @DisplayName("PATCH: scope and allow_all_scopes replace the stored ones; client_id and audience pass through to the validator")
    void patch() {
        assertThat(ClientGrantJson.forPatch(json("{\"scope\":[\"r\"]}"), STORED))
                .isEqualTo(new ClientGrantDraft("g-1", "svc", "urn:a", List.of("r"), "false", "deny", "false"));
        assertThat(ClientGrantJson.forPatch(json("{\"scope\":null,\"allow_all_scopes\":true}"), STORED))
                .isEqualTo(new ClientGrantDraft("g-1", "svc", "urn:a", List.of(), "true", "deny", "false"));
        assertThat(ClientGrantJson.forPatch(json("{\"organization_usage\":\"require\",\"allow_any_organization\":true}"), STORED))
                .isEqualTo(new ClientGrantDraft("g-1", "svc", "urn:a", List.of("r", "w"), "false", "require", "true"));
        assertThat(ClientGrantJson.forPatch(json("{\"organization_usage\":null}"), STORED).organizationUsage())
                .as("null resets to the default").isNull();
        assertThat(refused(() -> ClientGrantJson.forPatch(json("{\"organization_usage\":1}"), STORED)).getMessage())
                .isEqualTo("organization_usage must be a string");
        assertThat(ClientGrantJson.forPatch(json("{\"client_id\":\"other\"}"), STORED).clientId()).isEqualTo("other");
    }

    @Test
    @DisplayName("settings: default_audience null when unset; PATCH merges")
    void settings() {
        assertThat(SettingsJson.toJson(M2mSettings.DEFAULTS).toString())
                .isEqualTo("{\"default_audience\":null,\"error_style\":\"rfc\",\"default_token_quota\":null,"
                        + "\"allow_organization_name_in_authentication_api\":false}");
        M2mSettings stored = new M2mSettings("urn:a", ErrorStyle.AUTH0, null);
        assertThat(SettingsJson.forPatch(json("{\"error_style\":\"rfc\"}"), stored))
                .isEqualTo(new M2mSettingsDraft("urn:a", "rfc", null, null, null, null, null, null, "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_audience\":null,\"allow_organization_name_in_authentication_api\":true}"), stored))
                .isEqualTo(new M2mSettingsDraft(null, "auth0", null, null, null, null, null, null, "true"));
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"default_audience\":1}"), stored)).field()).isEqualTo("default_audience");
    }
}
