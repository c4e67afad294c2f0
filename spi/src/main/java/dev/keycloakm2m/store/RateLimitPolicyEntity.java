package dev.keycloakm2m.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A rate-limit policy: table M2M_RATE_LIMIT_POLICY. {@code selector} is {@code default} or {@code client:} plus the
 * client's internal id (CLIENT.ID, so a clientId rename changes nothing here), unique per realm; {@code clientId} is
 * that internal id (foreign key, the row goes with the client) or {@code null} for the default.
 */
@Entity
@Table(name = "M2M_RATE_LIMIT_POLICY")
public class RateLimitPolicyEntity {

    static final String DEFAULT_SELECTOR = "default";
    static final String CLIENT_PREFIX = "client:";

    @Id
    @Column(name = "ID", length = 36)
    String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    String realmId;

    @Column(name = "SELECTOR", length = 50, nullable = false)
    String selector;

    @Column(name = "CLIENT_ID", length = 36)
    String clientId;

    @Column(name = "ACTION_NAME", length = 16, nullable = false)
    String action;

    @Column(name = "RATE_LIMIT", nullable = false)
    int limit;

    @Column(name = "BURST")
    Integer burst;

    void set(String clientInternalId, RateLimitPolicy policy) {
        clientId = clientInternalId;
        selector = clientInternalId == null ? DEFAULT_SELECTOR : CLIENT_PREFIX + clientInternalId;
        action = policy.action().wire();
        limit = policy.limit();
        burst = policy.burst();
    }

    /** The policy with {@code clientId} resolved to the client's clientId ({@code null} for the default). */
    RateLimitPolicy toRecord(String clientClientId) {
        return new RateLimitPolicy(id, clientClientId, RateLimitPolicy.Action.fromWire(action).orElse(RateLimitPolicy.Action.BLOCK),
                limit, burst);
    }
}
