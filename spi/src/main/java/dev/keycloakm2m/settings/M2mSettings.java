package dev.keycloakm2m.settings;

/** Realm-wide settings of the extension. */
public record M2mSettings(String defaultAudience, ErrorStyle errorStyle) {

    public static final M2mSettings DEFAULTS = new M2mSettings(null, ErrorStyle.RFC);
}
