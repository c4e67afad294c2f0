package dev.keycloakm2m.admin;

import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsDraft;

/**
 * The realm's M2M settings as JSON; the default token quotas in Auth0's tenant-settings shape
 * {@code default_token_quota: {"clients": {"client_credentials": {...}}, "organizations": {...}}} ({@code null} when
 * there is neither, a part only when set), and Auth0's tenant flag {@code allow_organization_name_in_authentication_api}
 * (tokens issued for an organization also carry {@code org_name}).
 */
final class SettingsJson {

    static final String DEFAULT_AUDIENCE = "default_audience";
    static final String ERROR_STYLE = "error_style";
    static final String DEFAULT_TOKEN_QUOTA = TokenQuotaJson.DEFAULT_TOKEN_QUOTA;
    static final String ORGANIZATION_NAME = "allow_organization_name_in_authentication_api";

    static final Set<String> FIELDS = Set.of(DEFAULT_AUDIENCE, ERROR_STYLE, DEFAULT_TOKEN_QUOTA, ORGANIZATION_NAME);

    private SettingsJson() {
    }

    static ObjectNode toJson(M2mSettings settings) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (settings.defaultAudience() == null) o.putNull(DEFAULT_AUDIENCE);
        else o.put(DEFAULT_AUDIENCE, settings.defaultAudience());
        o.put(ERROR_STYLE, settings.errorStyle().wire());
        if (settings.defaultQuota() == null && settings.defaultOrganizationQuota() == null) o.putNull(DEFAULT_TOKEN_QUOTA);
        else o.set(DEFAULT_TOKEN_QUOTA, TokenQuotaJson.defaultToJson(settings.defaultQuota(), settings.defaultOrganizationQuota()));
        o.put(ORGANIZATION_NAME, settings.organizationNameInToken());
        return o;
    }

    /**
     * The stored settings with the fields the body names replaced ({@code null} resets a field to its default;
     * {@code default_token_quota: null} removes both default quotas, an object replaces the parts it names).
     */
    static M2mSettingsDraft forPatch(ObjectNode body, M2mSettings stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        TokenQuotaJson.Limits storedClients = TokenQuotaJson.limitsOf(stored.defaultQuota());
        TokenQuotaJson.Limits storedOrgs = TokenQuotaJson.limitsOf(stored.defaultOrganizationQuota());
        TokenQuotaJson.Limits clients = o.has(DEFAULT_TOKEN_QUOTA) ? TokenQuotaJson.defaultForPatch(o, storedClients) : storedClients;
        TokenQuotaJson.Limits orgs = o.has(DEFAULT_TOKEN_QUOTA) ? TokenQuotaJson.organizationDefaultForPatch(o, storedOrgs) : storedOrgs;
        return new M2mSettingsDraft(
                o.has(DEFAULT_AUDIENCE) ? o.text(DEFAULT_AUDIENCE) : stored.defaultAudience(),
                o.has(ERROR_STYLE) ? o.text(ERROR_STYLE) : stored.errorStyle().wire(),
                clients.perHour(), clients.perDay(), clients.enforce(),
                orgs.perHour(), orgs.perDay(), orgs.enforce(),
                o.has(ORGANIZATION_NAME) ? o.bool(ORGANIZATION_NAME) : String.valueOf(stored.organizationNameInToken()));
    }
}
