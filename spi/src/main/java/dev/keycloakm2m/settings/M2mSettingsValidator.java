package dev.keycloakm2m.settings;

import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.ErrorStyle;

import java.util.ArrayList;
import java.util.List;

import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/** The one validation routine for the realm settings (admin REST, console tab, realm import). */
public final class M2mSettingsValidator {

    private M2mSettingsValidator() {
    }

    public static M2mSettings validate(M2mSettingsDraft draft, RealmView realm) {
        Text.controlCheck().text("default_audience", draft.defaultAudience()).text("error_style", draft.errorStyle())
                .text("default_per_hour", draft.defaultPerHour()).text("default_per_day", draft.defaultPerDay())
                .text("default_enforce", draft.defaultEnforce())
                .text("default_org_per_hour", draft.defaultOrgPerHour()).text("default_org_per_day", draft.defaultOrgPerDay())
                .text("default_org_enforce", draft.defaultOrgEnforce())
                .text("allow_organization_name_in_authentication_api", draft.organizationNameInToken())
                .refuse();
        List<Problem> problems = new ArrayList<>();
        String audience = draft.defaultAudience() == null || draft.defaultAudience().isBlank() ? null : draft.defaultAudience();
        if (audience != null && !realm.lenientReferences() && realm.apiByIdentifier(audience).isEmpty()) {
            problems.add(Problem.invalid("default_audience", "default_audience " + Text.quote(audience)
                    + " is not the identifier of an API in this realm"));
        }
        ErrorStyle style = ErrorStyle.RFC;
        if (draft.errorStyle() != null && !draft.errorStyle().isBlank()) {
            style = ErrorStyle.fromWire(draft.errorStyle().trim()).orElse(null);
            if (style == null) {
                problems.add(Problem.invalid("error_style", "error_style must be one of: " + ErrorStyle.allowed()));
            }
        }
        dev.keycloakm2m.store.TokenQuota defaultQuota = dev.keycloakm2m.quota.TokenQuotaValidator.optionalQuota(
                draft.defaultPerHour(), draft.defaultPerDay(), draft.defaultEnforce(), "default_", problems);
        dev.keycloakm2m.store.TokenQuota defaultOrgQuota = dev.keycloakm2m.quota.TokenQuotaValidator.optionalQuota(
                draft.defaultOrgPerHour(), draft.defaultOrgPerDay(), draft.defaultOrgEnforce(), "default_org_", problems);
        boolean orgName = false;
        if (draft.organizationNameInToken() != null && !draft.organizationNameInToken().isBlank()) {
            String raw = draft.organizationNameInToken().trim();
            if (raw.equals("true")) orgName = true;
            else if (!raw.equals("false")) problems.add(Problem.invalid("allow_organization_name_in_authentication_api",
                    "allow_organization_name_in_authentication_api must be true or false"));
        }
        if (!problems.isEmpty()) throw new ValidationException(problems);
        return new M2mSettings(audience, style, defaultQuota, defaultOrgQuota, orgName);
    }
}
