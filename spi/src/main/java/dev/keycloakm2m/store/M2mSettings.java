package dev.keycloakm2m.store;

import dev.keycloakm2m.store.TokenQuota;

/** Realm-wide settings of the extension; {@code defaultQuota} applies to clients without a quota of their own. */
public record M2mSettings(String defaultAudience, ErrorStyle errorStyle, TokenQuota defaultQuota) {

    public static final M2mSettings DEFAULTS = new M2mSettings(null, ErrorStyle.RFC, null);

    public M2mSettings withoutDefaultAudience() {
        return new M2mSettings(null, errorStyle, defaultQuota);
    }
}
