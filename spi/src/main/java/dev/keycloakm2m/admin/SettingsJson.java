package dev.keycloakm2m.admin;

import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.settings.M2mSettings;
import dev.keycloakm2m.settings.M2mSettingsDraft;

/** The realm's M2M settings as JSON. */
final class SettingsJson {

    static final String DEFAULT_AUDIENCE = "default_audience";
    static final String ERROR_STYLE = "error_style";

    static final Set<String> FIELDS = Set.of(DEFAULT_AUDIENCE, ERROR_STYLE);

    private SettingsJson() {
    }

    static ObjectNode toJson(M2mSettings settings) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (settings.defaultAudience() == null) o.putNull(DEFAULT_AUDIENCE);
        else o.put(DEFAULT_AUDIENCE, settings.defaultAudience());
        o.put(ERROR_STYLE, settings.errorStyle().wire());
        return o;
    }

    /** The stored settings with the fields the body names replaced ({@code null} resets a field to its default). */
    static M2mSettingsDraft forPatch(ObjectNode body, M2mSettings stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        dev.keycloakm2m.quota.TokenQuota q = stored.defaultQuota();
        return new M2mSettingsDraft(
                o.has(DEFAULT_AUDIENCE) ? o.text(DEFAULT_AUDIENCE) : stored.defaultAudience(),
                o.has(ERROR_STYLE) ? o.text(ERROR_STYLE) : stored.errorStyle().wire(),
                q == null || q.perHour() == null ? null : String.valueOf(q.perHour()),
                q == null || q.perDay() == null ? null : String.valueOf(q.perDay()),
                q == null ? null : String.valueOf(q.enforce()));
    }
}
