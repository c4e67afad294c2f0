package dev.keycloakm2m.store;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * An organization associated with a client grant (Auth0's {@code /organizations/{id}/client-grants}): table
 * M2M_ORG_CLIENT_GRANT, keyed by Keycloak's organization id (ORG.ID) and the grant's id. Rows go with the
 * organization, the grant and the realm (foreign keys ON DELETE CASCADE).
 */
@Entity
@Table(name = "M2M_ORG_CLIENT_GRANT")
@IdClass(OrgGrantEntity.Key.class)
public class OrgGrantEntity {

    @Id
    @Column(name = "ORG_ID", length = 255)
    String orgId;

    @Id
    @Column(name = "GRANT_ID", length = 36)
    String grantId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    /** The composite primary key. */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        String orgId;
        String grantId;

        public Key() {
        }

        Key(String orgId, String grantId) {
            this.orgId = orgId;
            this.grantId = grantId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(orgId, k.orgId) && Objects.equals(grantId, k.grantId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(orgId, grantId);
        }
    }
}
