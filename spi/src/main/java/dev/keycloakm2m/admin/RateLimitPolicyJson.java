package dev.keycloakm2m.admin;

import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.ratelimit.RateLimitPolicyDraft;
import dev.keycloakm2m.ratelimit.RateLimitPolicyValidator;
import dev.keycloakm2m.store.RateLimitPolicy;

/**
 * A rate-limit policy in the shape of Auth0's Management API ({@code /api/v2/rate-limit-policies}): {@code id},
 * {@code resource}, {@code consumer}, {@code consumer_selector}, {@code action}, {@code limit} (requests per second),
 * plus {@code burst} (the bucket size; {@code limit} unless set). Only the shape is checked here.
 */
final class RateLimitPolicyJson {

    static final String ID = "id";
    static final String RESOURCE = "resource";
    static final String CONSUMER = "consumer";
    static final String CONSUMER_SELECTOR = "consumer_selector";
    static final String ACTION = "action";
    static final String LIMIT = "limit";
    static final String BURST = "burst";

    static final Set<String> FIELDS = Set.of(ID, RESOURCE, CONSUMER, CONSUMER_SELECTOR, ACTION, LIMIT, BURST);

    private RateLimitPolicyJson() {
    }

    static ObjectNode toJson(RateLimitPolicy policy) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(ID, policy.id());
        o.put(RESOURCE, RateLimitPolicyValidator.RESOURCE);
        o.put(CONSUMER, RateLimitPolicyValidator.CONSUMER);
        o.put(CONSUMER_SELECTOR, policy.selector());
        o.put(ACTION, policy.action().wire());
        o.put(LIMIT, policy.limit());
        o.put(BURST, policy.effectiveBurst());
        return o;
    }

    static RateLimitPolicyDraft forCreate(ObjectNode body) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID)) {
            throw AdminRequestException.badRequest(ID, "id is assigned by the server and cannot be set");
        }
        return new RateLimitPolicyDraft(null, o.text(CONSUMER_SELECTOR), o.text(ACTION), o.integer(LIMIT), o.integer(BURST),
                o.text(RESOURCE), o.text(CONSUMER));
    }

    /**
     * The stored policy with the given fields replaced; {@code "burst": null} goes back to the default (the limit),
     * a policy whose burst was never set keeps following its limit.
     */
    static RateLimitPolicyDraft forPatch(ObjectNode body, RateLimitPolicy stored) {
        JsonFields o = JsonFields.of(body, "", FIELDS);
        if (o.has(ID) && !Objects.equals(o.text(ID), stored.id())) {
            throw AdminRequestException.badRequest(ID, "id cannot be changed");
        }
        String storedBurst = stored.burst() == null ? null : String.valueOf(stored.burst());
        return new RateLimitPolicyDraft(stored.id(),
                o.has(CONSUMER_SELECTOR) ? o.text(CONSUMER_SELECTOR) : stored.selector(),
                o.has(ACTION) ? o.text(ACTION) : stored.action().wire(),
                o.has(LIMIT) ? o.integer(LIMIT) : String.valueOf(stored.limit()),
                o.has(BURST) ? o.integer(BURST) : storedBurst,
                o.text(RESOURCE), o.text(CONSUMER));
    }
}
