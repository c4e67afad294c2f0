package dev.keycloakm2m.legacy;

import java.util.Set;

import org.keycloak.component.ComponentModel;

import dev.keycloakm2m.ratelimit.RateLimitPolicyDraft;
import dev.keycloakm2m.store.RateLimitPolicy;

/**
 * A rate-limit policy in the realm file format: a component of provider {@value Components#RATE_LIMIT_PROVIDER_ID}
 * with config {@code consumer_selector}, {@code action}, {@code limit} and (when set) {@code burst}.
 */
public final class RateLimitPolicyComponent {

    public static final String CONSUMER_SELECTOR = "consumer_selector";
    public static final String ACTION = "action";
    public static final String LIMIT = "limit";
    public static final String BURST = "burst";

    static final Set<String> KEYS = Set.of(CONSUMER_SELECTOR, ACTION, LIMIT, BURST);

    private RateLimitPolicyComponent() {
    }

    public static boolean is(ComponentModel model) {
        return Components.PAGE_TYPE.equals(model.getProviderType()) && Components.RATE_LIMIT_PROVIDER_ID.equals(model.getProviderId());
    }

    public static RateLimitPolicyDraft draft(ComponentModel model) {
        return new RateLimitPolicyDraft(model.getId(), Components.first(model, CONSUMER_SELECTOR), Components.first(model, ACTION),
                Components.first(model, LIMIT), Components.first(model, BURST), null, null);
    }

    public static void write(RateLimitPolicy policy, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(policy.selector()));
        Components.put(model, CONSUMER_SELECTOR, policy.selector());
        Components.put(model, ACTION, policy.action().wire());
        Components.put(model, LIMIT, String.valueOf(policy.limit()));
        Components.put(model, BURST, policy.burst() == null ? null : String.valueOf(policy.burst()));
    }
}
