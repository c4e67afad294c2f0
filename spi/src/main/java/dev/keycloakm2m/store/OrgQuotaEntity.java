package dev.keycloakm2m.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An organization's own token quota: table M2M_ORG_QUOTA, one row per organization (ORG.ID). */
@Entity
@Table(name = "M2M_ORG_QUOTA")
public class OrgQuotaEntity {

    @Id
    @Column(name = "ORG_ID", length = 255)
    String orgId;

    @Column(name = "ID", length = 36, nullable = false)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "PER_HOUR")
    Integer perHour;

    @Column(name = "PER_DAY")
    Integer perDay;

    @Column(name = "ENFORCE", nullable = false)
    boolean enforce;
}
