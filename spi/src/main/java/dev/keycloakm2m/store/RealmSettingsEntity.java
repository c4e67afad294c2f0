package dev.keycloakm2m.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row per realm that has m2m data: table M2M_REALM, the realm's M2M settings ({@code null} columns = defaults)
 * and the revision every node compares its cached index with.
 */
@Entity
@Table(name = "M2M_REALM")
public class RealmSettingsEntity {

    @Id
    @Column(name = "REALM_ID", length = 36)
    String realmId;

    /** Counts the realm's committed m2m changes (each change message names the revision it produced). */
    @Column(name = "REVISION", nullable = false)
    long revision;

    @Column(name = "DEFAULT_AUDIENCE")
    String defaultAudience;

    @Column(name = "ERROR_STYLE")
    String errorStyle;

    @Column(name = "DEFAULT_PER_HOUR")
    Integer defaultPerHour;

    @Column(name = "DEFAULT_PER_DAY")
    Integer defaultPerDay;

    @Column(name = "DEFAULT_ENFORCE")
    Boolean defaultEnforce;

    @Column(name = "DEFAULT_ORG_PER_HOUR")
    Integer defaultOrgPerHour;

    @Column(name = "DEFAULT_ORG_PER_DAY")
    Integer defaultOrgPerDay;

    @Column(name = "DEFAULT_ORG_ENFORCE")
    Boolean defaultOrgEnforce;

    @Column(name = "ORG_NAME_IN_TOKEN")
    Boolean orgNameInToken;

    M2mSettings toRecord() {
        TokenQuota quota = defaultPerHour == null && defaultPerDay == null ? null
                : new TokenQuota(defaultPerHour, defaultPerDay, !Boolean.FALSE.equals(defaultEnforce));
        TokenQuota orgQuota = defaultOrgPerHour == null && defaultOrgPerDay == null ? null
                : new TokenQuota(defaultOrgPerHour, defaultOrgPerDay, !Boolean.FALSE.equals(defaultOrgEnforce));
        return new M2mSettings(defaultAudience, ErrorStyle.fromWire(errorStyle).orElse(ErrorStyle.RFC), quota, orgQuota,
                Boolean.TRUE.equals(orgNameInToken));
    }

    void set(M2mSettings s) {
        defaultAudience = s.defaultAudience();
        errorStyle = s.errorStyle().wire();
        TokenQuota q = s.defaultQuota();
        defaultPerHour = q == null ? null : q.perHour();
        defaultPerDay = q == null ? null : q.perDay();
        defaultEnforce = q == null ? null : q.enforce();
        TokenQuota o = s.defaultOrganizationQuota();
        defaultOrgPerHour = o == null ? null : o.perHour();
        defaultOrgPerDay = o == null ? null : o.perDay();
        defaultOrgEnforce = o == null ? null : o.enforce();
        orgNameInToken = s.organizationNameInToken() ? Boolean.TRUE : null;
    }
}
