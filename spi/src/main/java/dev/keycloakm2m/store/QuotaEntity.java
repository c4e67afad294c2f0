package dev.keycloakm2m.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client's own token quota: table M2M_CLIENT_QUOTA, one row per client (CLIENT.ID). */
@Entity
@Table(name = "M2M_CLIENT_QUOTA")
public class QuotaEntity {

    @Id
    @Column(name = "CLIENT_ID", length = 36)
    String clientId;

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

    ClientQuota toRecord(String clientId) {
        return new ClientQuota(id, clientId, new TokenQuota(perHour, perDay, enforce));
    }
}
