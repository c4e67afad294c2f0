package dev.keycloakm2m.store;

import java.util.Optional;

import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientQuota;

/** The realm as the validators see it. Implemented over Keycloak by the store, by fakes in unit tests. */
public interface RealmView {

    Optional<ResourceServer> apiByIdentifier(String identifier);

    Optional<ResourceServer> apiById(String id);

    Optional<ClientGrant> grant(String clientId, String audience);

    Optional<ClientInfo> client(String clientId);

    /** The token quota configured for this client itself (not the realm default). */
    Optional<ClientQuota> quota(String clientId);

    /** The rate-limit policy of this client ({@code clientId} {@code null}: the realm default), if one exists. */
    default Optional<RateLimitPolicy> rateLimitPolicy(String clientId) {
        return Optional.empty();
    }

    /** Whether the realm has an active signing key for {@code algorithm}. */
    boolean hasActiveSigningKey(String algorithm);

    /**
     * {@code true} while a realm is being imported: components arrive in any order and the realm's default keys
     * are created after them, so references (an API named by a grant or the default audience, a signing key) are
     * not checked then. Every component is validated again, strictly, once the import is complete.
     */
    default boolean lenientReferences() {
        return false;
    }
}
