package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.Refusals.json;
import static dev.keycloakm2m.admin.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.quota.Counts;
import dev.keycloakm2m.store.TokenQuota;
import dev.keycloakm2m.store.ErrorStyle;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsDraft;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

class TokenQuotaJsonTest {

    /** 2026-11-28T13:20:00Z */
    static final long NOW = 1_795_872_000L;
    static final long HOUR = NOW - NOW % 3600;
    static final long DAY = NOW - NOW % 86400;

    @Test
    @DisplayName("a client's quota in Auth0's token_quota shape; an unset bucket is null")
    void toJson() {
        assertThat(TokenQuotaJson.toJson(new TokenQuota(50, null, true)).toString())
                .isEqualTo("{\"client_credentials\":{\"per_hour\":50,\"per_day\":null,\"enforce\":true}}");
        assertThat(SettingsJson.toJson(new M2mSettings(null, ErrorStyle.RFC, new TokenQuota(null, 1000, false))).toString())
                .isEqualTo("{\"default_audience\":null,\"error_style\":\"rfc\",\"default_token_quota\":"
                        + "{\"clients\":{\"client_credentials\":{\"per_hour\":null,\"per_day\":1000,\"enforce\":false}}},"
                        + "\"allow_organization_name_in_authentication_api\":false}");
        assertThat(SettingsJson.toJson(new M2mSettings(null, ErrorStyle.RFC, null, new TokenQuota(5, null, true), true)).toString())
                .as("only the organizations' default: the clients' part is left out")
                .isEqualTo("{\"default_audience\":null,\"error_style\":\"rfc\",\"default_token_quota\":"
                        + "{\"organizations\":{\"client_credentials\":{\"per_hour\":5,\"per_day\":null,\"enforce\":true}}},"
                        + "\"allow_organization_name_in_authentication_api\":true}");
    }

    @Test
    @DisplayName("PUT: the body replaces the quota as a whole; types are checked here, values by the validator")
    void put() {
        assertThat(TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_hour\":10}}"), null, "svc"))
                .isEqualTo(new ClientQuotaDraft(null, "svc", "10", null, null));
        assertThat(TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_hour\":null,\"per_day\":0,\"enforce\":false}}"), "q-1", "svc"))
                .isEqualTo(new ClientQuotaDraft("q-1", "svc", null, "0", "false"));
        assertThat(TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_day\":99999999999}}"), null, "svc").perDay())
                .as("out of range is the validator's to refuse").isEqualTo("99999999999");
        AdminRequestException e = refused(() -> TokenQuotaJson.forPut(json("{}"), null, "svc"));
        assertThat(e.field()).isEqualTo("client_credentials");
        assertThat(e.getMessage()).isEqualTo("client_credentials is required");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":null}"), null, "svc")).field()).isEqualTo("client_credentials");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_hour\":\"10\"}}"), null, "svc")).getMessage())
                .isEqualTo("client_credentials.per_hour must be an integer");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_hour\":1.5}}"), null, "svc")).getMessage())
                .isEqualTo("client_credentials.per_hour must be an integer");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":{\"enforce\":\"yes\"}}"), null, "svc")).getMessage())
                .isEqualTo("client_credentials.enforce must be true or false");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":{\"per_minute\":1}}"), null, "svc")).field())
                .isEqualTo("client_credentials.per_minute");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"token_quota\":{}}"), null, "svc")).field()).isEqualTo("token_quota");
        assertThat(refused(() -> TokenQuotaJson.forPut(json("{\"client_credentials\":[]}"), null, "svc")).getMessage())
                .isEqualTo("client_credentials must be a JSON object");
    }

    @Test
    @DisplayName("settings PATCH: default_token_quota null removes both defaults; an object replaces the parts it names")
    void defaultQuota() {
        M2mSettings stored = new M2mSettings("urn:a", ErrorStyle.AUTH0, new TokenQuota(5, 50, false), new TokenQuota(9, null, true), false);
        assertThat(SettingsJson.forPatch(json("{\"error_style\":\"rfc\"}"), stored))
                .as("not named: kept").isEqualTo(new M2mSettingsDraft("urn:a", "rfc", "5", "50", "false", "9", null, "true", "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":{\"clients\":{\"client_credentials\":{\"per_day\":7}}}}"), stored))
                .as("clients replaced as a whole, organizations kept")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", null, "7", null, "9", null, "true", "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":{\"organizations\":{\"client_credentials\":{\"per_hour\":3,\"enforce\":false}}}}"), stored))
                .as("organizations replaced as a whole, clients kept")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", "5", "50", "false", "3", null, "false", "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":{}}"), stored)).as("{} names no part: both kept")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", "5", "50", "false", "9", null, "true", "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":null}"), stored)).as("null: both removed")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", null, null, null, null, null, null, "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":{\"clients\":null}}"), stored)).as("clients: null")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", null, null, null, "9", null, "true", "false"));
        assertThat(SettingsJson.forPatch(json("{\"default_token_quota\":{\"organizations\":null}}"), stored)).as("organizations: null")
                .isEqualTo(new M2mSettingsDraft("urn:a", "auth0", "5", "50", "false", null, null, null, "false"));
        String limits = "default_token_quota.clients.client_credentials";
        AdminRequestException e = refused(() -> SettingsJson.forPatch(json("{\"default_token_quota\":{\"clients\":{}}}"), stored));
        assertThat(e.field()).isEqualTo(limits);
        assertThat(e.getMessage()).isEqualTo(limits + " is required; send default_token_quota.clients: null to remove the default");
        e = refused(() -> SettingsJson.forPatch(json("{\"default_token_quota\":{\"clients\":{\"client_credentials\":{\"enforce\":true}}}}"), stored));
        assertThat(e.field()).isEqualTo(limits);
        assertThat(e.getMessage()).isEqualTo(limits + " needs per_hour, per_day or both; send default_token_quota.clients: null to remove the default");
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"default_token_quota\":{\"organizations\":{}}}"), stored)).field())
                .isEqualTo("default_token_quota.organizations.client_credentials");
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"default_token_quota\":{\"users\":{}}}"), stored)).field())
                .isEqualTo("default_token_quota.users");
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"default_token_quota\":{\"clients\":{\"client_credentials\":{\"per_hour\":true}}}}"), stored))
                .getMessage()).isEqualTo(limits + ".per_hour must be an integer");
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"default_per_hour\":5}"), stored)).field())
                .as("the component's keys are not REST fields").isEqualTo("default_per_hour");
        assertThat(refused(() -> SettingsJson.forPatch(json("{\"allow_organization_name_in_authentication_api\":\"yes\"}"), stored)).getMessage())
                .isEqualTo("allow_organization_name_in_authentication_api must be true or false");
    }

    @Test
    @DisplayName("the validator's field names become the body's, also at the start of its messages")
    void bodyFieldNames() {
        ValidationException refused = new ValidationException(List.of(
                Problem.invalid("default_per_hour", "default_per_hour must be a whole number between 1 and 2147483647"),
                Problem.invalid("default_audience", "default_audience \"x\" is not the identifier of an API in this realm")));
        AdminRequestException e = AdminRequestException.of(refused, TokenQuotaJson.DEFAULT_QUOTA_BODY_FIELDS);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isEqualTo("default_token_quota.clients.client_credentials.per_hour");
        assertThat(e.getMessage()).isEqualTo("default_token_quota.clients.client_credentials.per_hour must be a whole number between 1 and 2147483647");
        assertThat(e.problems()).extracting(Problem::field).containsExactly("default_token_quota.clients.client_credentials.per_hour", "default_audience");

        e = AdminRequestException.of(new ValidationException(Problem.invalid("per_hour", "a token quota needs per_hour, per_day or both")),
                TokenQuotaJson.CLIENT_QUOTA_BODY_FIELDS);
        assertThat(e.field()).isEqualTo("client_credentials.per_hour");
        assertThat(e.getMessage()).isEqualTo("a token quota needs per_hour, per_day or both");
        assertThat(e.problems()).isEmpty();
    }

    @Test
    @DisplayName("usage: quota, used, remaining and reset_at (ISO-8601 UTC) per bucket; null quota and remaining for a bucket without limit")
    void usage() {
        Counts counts = new Counts(HOUR, 12, DAY, 40);
        TokenUsage own = new TokenUsage("svc", TokenUsage.Source.CLIENT, new TokenQuota(10, null, false), counts, NOW);
        assertThat(own.toJson().toString()).isEqualTo("{\"client_id\":\"svc\",\"quota_source\":\"client\",\"enforce\":false,"
                + "\"per_hour\":{\"quota\":10,\"used\":12,\"remaining\":0,\"reset_at\":\"2026-11-28T14:00:00.000Z\"},"
                + "\"per_day\":{\"quota\":null,\"used\":40,\"remaining\":null,\"reset_at\":\"2026-11-29T00:00:00.000Z\"}}");
        TokenUsage none = new TokenUsage("free", null, null, new Counts(HOUR - 3600, 3, DAY, 3), NOW);
        assertThat(none.toJson().toString()).as("an older hour window counts nothing now")
                .isEqualTo("{\"client_id\":\"free\",\"quota_source\":null,\"enforce\":null,"
                        + "\"per_hour\":{\"quota\":null,\"used\":0,\"remaining\":null,\"reset_at\":\"2026-11-28T14:00:00.000Z\"},"
                        + "\"per_day\":{\"quota\":null,\"used\":3,\"remaining\":null,\"reset_at\":\"2026-11-29T00:00:00.000Z\"}}");
        TokenUsage realmDefault = new TokenUsage("d", TokenUsage.Source.REALM_DEFAULT, new TokenQuota(100, 1000, true), Counts.NONE, NOW);
        assertThat(realmDefault.toJson().at("/per_day/remaining").asLong()).isEqualTo(1000);
        assertThat(realmDefault.toJson().get("quota_source").asText()).isEqualTo("realm_default");
    }

    @Test
    @DisplayName("usage list order: sort=client_id:1 (default), client_id:-1, per_hour:±1, per_day:±1 with ties by client_id; anything else 400")
    void sort() {
        TokenUsage a = usage("a", 1, 9);
        TokenUsage b = usage("b", 5, 5);
        TokenUsage c = usage("c", 5, 1);
        List<TokenUsage> all = List.of(c, a, b);
        assertThat(sorted(all, null)).containsExactly("a", "b", "c");
        assertThat(sorted(all, "")).containsExactly("a", "b", "c");
        assertThat(sorted(all, "client_id:-1")).containsExactly("c", "b", "a");
        assertThat(sorted(all, "per_hour:-1")).containsExactly("b", "c", "a");
        assertThat(sorted(all, "per_hour:1")).containsExactly("a", "b", "c");
        assertThat(sorted(all, "per_day:-1")).containsExactly("a", "b", "c");
        assertThat(sorted(all, "per_day:1")).containsExactly("c", "b", "a");
        for (String bad : List.of("per_hour", "per_hour:0", "used:-1", "PER_HOUR:-1", "per_hour:-1,client_id:1")) {
            AdminRequestException e = refused(() -> TokenUsageResource.order(bad));
            assertThat(e.field()).isEqualTo("sort");
            assertThat(e.getMessage())
                    .isEqualTo("sort must be one of: client_id:1, client_id:-1, per_hour:-1, per_hour:1, per_day:-1, per_day:1");
        }
    }

    private static TokenUsage usage(String clientId, long hour, long day) {
        return new TokenUsage(clientId, null, null, new Counts(HOUR, hour, DAY, day), NOW);
    }

    private static List<String> sorted(List<TokenUsage> all, String sort) {
        Comparator<TokenUsage> order = TokenUsageResource.order(sort);
        return all.stream().sorted(order).map(TokenUsage::clientId).toList();
    }
}
