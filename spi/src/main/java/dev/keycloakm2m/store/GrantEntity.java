package dev.keycloakm2m.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

/**
 * A client grant: table M2M_CLIENT_GRANT, keyed by the client's internal id (CLIENT.ID, so a clientId rename needs
 * no change here) and the API's id; its scopes in M2M_CLIENT_GRANT_SCOPE in the API's order; the organizations
 * associated with it in M2M_ORG_CLIENT_GRANT ({@link OrgGrantEntity}).
 */
@Entity
@Table(name = "M2M_CLIENT_GRANT")
public class GrantEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "CLIENT_ID", length = 36, nullable = false)
    String clientId;

    @Column(name = "API_ID", length = 36, nullable = false)
    String apiId;

    @Column(name = "ALLOW_ALL_SCOPES", nullable = false)
    boolean allowAllScopes;

    /** {@code null}: deny (rows written before 0.3.0). */
    @Column(name = "ORGANIZATION_USAGE", length = 16)
    String organizationUsage;

    /** {@code null}: false (rows written before 0.3.0). */
    @Column(name = "ALLOW_ANY_ORGANIZATION")
    Boolean allowAnyOrganization;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "M2M_CLIENT_GRANT_SCOPE", joinColumns = @JoinColumn(name = "GRANT_ID"))
    @OrderColumn(name = "SEQ")
    @Column(name = "SCOPE_VALUE", nullable = false)
    List<String> scopes = new ArrayList<>();

    void set(ClientGrant grant) {
        allowAllScopes = grant.allowAllScopes();
        scopes.clear();
        scopes.addAll(grant.scope());
        organizationUsage = grant.organizationUsage() == OrganizationUsage.DENY ? null : grant.organizationUsage().wire();
        allowAnyOrganization = grant.allowAnyOrganization() ? Boolean.TRUE : null;
    }

    OrganizationUsage organizationUsage() {
        return organizationUsage == null ? OrganizationUsage.DENY
                : OrganizationUsage.fromWire(organizationUsage).orElse(OrganizationUsage.DENY);
    }

    /** The grant as the token path sees it: {@code clientId} is the client's clientId, the audience the API's identifier. */
    ClientGrant toRecord(String clientId, ResourceServer api) {
        return new ClientGrant(id, clientId, api.identifier(), List.copyOf(scopes), allowAllScopes, organizationUsage(),
                Boolean.TRUE.equals(allowAnyOrganization));
    }
}
