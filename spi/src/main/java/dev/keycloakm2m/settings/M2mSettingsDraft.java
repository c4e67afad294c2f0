package dev.keycloakm2m.settings;

/** Realm settings as a write path received them ({@code null} = not given). */
public record M2mSettingsDraft(String defaultAudience, String errorStyle, String defaultPerHour, String defaultPerDay,
                               String defaultEnforce) {
}
