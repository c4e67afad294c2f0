package dev.keycloakm2m.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

/** An API: table M2M_API, its scopes in M2M_API_SCOPE (one row each, in definition order). */
@Entity
@Table(name = "M2M_API")
public class ApiEntity {

    @Id
    @Column(name = "ID", length = 36)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "IDENTIFIER", nullable = false)
    String identifier;

    @Column(name = "NAME", nullable = false)
    String name;

    @Column(name = "TOKEN_LIFETIME", nullable = false)
    int tokenLifetime;

    @Column(name = "SIGNING_ALG", nullable = false)
    String signingAlg;

    @Column(name = "TOKEN_DIALECT", nullable = false)
    String tokenDialect;

    @Column(name = "CLIENT_POLICY", nullable = false)
    String clientPolicy;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "M2M_API_SCOPE", joinColumns = @JoinColumn(name = "API_ID"))
    @OrderColumn(name = "SEQ")
    List<Scope> scopes = new ArrayList<>();

    /** One scope row. */
    @Embeddable
    public static class Scope {
        @Column(name = "SCOPE_VALUE", nullable = false)
        String value;

        @Column(name = "DESCRIPTION", nullable = false)
        String description;

        public Scope() {
        }

        Scope(String value, String description) {
            this.value = value;
            this.description = description;
        }
    }

    void set(ResourceServer api) {
        name = api.name();
        identifier = api.identifier();
        tokenLifetime = api.tokenLifetime();
        signingAlg = api.signingAlg();
        tokenDialect = api.tokenDialect().wire();
        clientPolicy = api.clientPolicy().wire();
        scopes.clear();
        api.scopes().forEach(s -> scopes.add(new Scope(s.value(), s.description())));
    }

    ResourceServer toRecord() {
        return new ResourceServer(id, name, identifier, scopes.stream().map(s -> new ApiScope(s.value, s.description)).toList(),
                tokenLifetime, signingAlg, TokenDialect.fromWire(tokenDialect).orElse(TokenDialect.ACCESS_TOKEN),
                ClientPolicy.fromWire(clientPolicy).orElse(ClientPolicy.REQUIRE_CLIENT_GRANT));
    }
}
