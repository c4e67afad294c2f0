package dev.keycloakm2m.store;

/**
 * Realm-wide settings of the extension: {@code defaultQuota} applies to clients without a quota of their own,
 * {@code defaultOrganizationQuota} to organizations without one; {@code organizationNameInToken} adds
 * {@code org_name} to tokens issued for an organization (Auth0's tenant setting
 * {@code allow_organization_name_in_authentication_api}).
 */
public record M2mSettings(String defaultAudience, ErrorStyle errorStyle, TokenQuota defaultQuota,
                          TokenQuota defaultOrganizationQuota, boolean organizationNameInToken) {

    public static final M2mSettings DEFAULTS = new M2mSettings(null, ErrorStyle.RFC, null);

    /** Settings without organization defaults. */
    public M2mSettings(String defaultAudience, ErrorStyle errorStyle, TokenQuota defaultQuota) {
        this(defaultAudience, errorStyle, defaultQuota, null, false);
    }

    public M2mSettings withoutDefaultAudience() {
        return new M2mSettings(null, errorStyle, defaultQuota, defaultOrganizationQuota, organizationNameInToken);
    }
}
