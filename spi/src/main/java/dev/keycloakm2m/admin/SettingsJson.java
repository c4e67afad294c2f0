package dev.keycloakm2m.admin;

import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsDraft;

/**
 * The realm's M2M settings as JSON; the default token quota in Auth0's tenant-settings shape
 * {@code default_token_quota: {"clients": {"client_credentials": {...}}}} ({@code null} when there is none).
 */
final class SettingsJson {

    static final String DEFAULT_AUDIENCE = "default_audience";
    static final String ERROR_STYLE = "error_style";
    static final String DEFAULT_TOKEN_QUOTA = TokenQuotaJson.DEFAULT_TOKEN_QUOTA;

    static final Set<String> FIELDS = Set.of(DEFAULT_AUDIENCE, ERROR_STYLE, DEFAULT_TOKEN_QUOTA);

    private SettingsJson() {
    }

    static ObjectNode toJson(M2mSettings settings) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (settings.defaultAudience() == null) o.putNull(DEFAULT_AUDIENCE);
        else o.put(DEFAULT_AUDIENCE, settings.defaultAudience());
        o.put(ERROR_STYLE, settings.errorStyle().wire());
        if (settings.defaultQuota() == null) o.putNull(DEFAULT_TOKEN_QUOTA);
        else o.set(DEFAULT_TOKEN_QUOTA, TokenQuotaJson.defaultToJson(settings.defaultQuota()));
        return o;
    }

    /**
     * The stored settings with the fields the body names replaced ({@code null} resets a field to its default; the
     * default token quota is replaced as a whole, {@code null} removes it).
     */
    static M2mSettingsDraft forPatch(ObjectNode body, M2mSettings stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        TokenQuotaJson.Limits quota = o.has(DEFAULT_TOKEN_QUOTA) ? TokenQuotaJson.defaultForPatch(o)
                : TokenQuotaJson.limitsOf(stored.defaultQuota());
        return new M2mSettingsDraft(
                o.has(DEFAULT_AUDIENCE) ? o.text(DEFAULT_AUDIENCE) : stored.defaultAudience(),
                o.has(ERROR_STYLE) ? o.text(ERROR_STYLE) : stored.errorStyle().wire(),
                quota.perHour(), quota.perDay(), quota.enforce());
    }
}
