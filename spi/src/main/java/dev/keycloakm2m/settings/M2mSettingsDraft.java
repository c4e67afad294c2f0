package dev.keycloakm2m.settings;

/** Realm settings as a write path received them ({@code null} = not given). */
public record M2mSettingsDraft(String defaultAudience, String errorStyle, String defaultPerHour, String defaultPerDay,
                               String defaultEnforce, String defaultOrgPerHour, String defaultOrgPerDay,
                               String defaultOrgEnforce, String organizationNameInToken) {

    /** A draft without the organization settings (no organization default, no org_name in tokens). */
    public M2mSettingsDraft(String defaultAudience, String errorStyle, String defaultPerHour, String defaultPerDay,
                            String defaultEnforce) {
        this(defaultAudience, errorStyle, defaultPerHour, defaultPerDay, defaultEnforce, null, null, null, null);
    }
}
