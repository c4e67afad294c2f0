package dev.keycloakm2m.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/**
 * The one validation routine for rate-limit policies (admin REST, realm import). Every refusal is a 400 naming the
 * field, also for a selector naming a client that does not exist and for a second policy of the same consumer.
 */
public final class RateLimitPolicyValidator {

    /** Requests per second; far above what one Keycloak node serves. */
    public static final int MAX_LIMIT = 1_000_000;
    public static final String RESOURCE = "oauth_authentication_api";
    public static final String CONSUMER = "client";

    private RateLimitPolicyValidator() {
    }

    /**
     * @param draft    the policy as received, every field present (PATCH merges before calling)
     * @param existing the stored policy when this is an update, else {@code null}
     */
    public static RateLimitPolicy validate(RateLimitPolicyDraft draft, RateLimitPolicy existing, RealmView realm) {
        Text.controlCheck().text("id", draft.id()).text("consumer_selector", draft.consumerSelector())
                .text("action", draft.action()).text("limit", draft.limit()).text("burst", draft.burst())
                .text("resource", draft.resource()).text("consumer", draft.consumer())
                .refuse();
        List<Problem> problems = new ArrayList<>();

        if (draft.resource() != null && !draft.resource().equals(RESOURCE)) {
            problems.add(Problem.invalid("resource", "resource must be " + RESOURCE + " (the token endpoint)"));
        }
        if (draft.consumer() != null && !draft.consumer().equals(CONSUMER)) {
            problems.add(Problem.invalid("consumer", "consumer must be " + CONSUMER));
        }

        String selector = draft.consumerSelector();
        String clientId = null;
        boolean selectorOk = false;
        if (selector == null || selector.isEmpty()) {
            problems.add(Problem.invalid("consumer_selector", "consumer_selector is required: "
                    + RateLimitPolicy.CLIENT_SELECTOR_PREFIX + "<clientId> or " + RateLimitPolicy.DEFAULT_SELECTOR));
        } else if (selector.equals(RateLimitPolicy.DEFAULT_SELECTOR)) {
            selectorOk = true;
        } else if (selector.startsWith(RateLimitPolicy.CLIENT_SELECTOR_PREFIX)) {
            clientId = selector.substring(RateLimitPolicy.CLIENT_SELECTOR_PREFIX.length());
            Optional<ClientInfo> client = clientId.isEmpty() ? Optional.empty() : realm.client(clientId);
            if (client.isEmpty()) {
                problems.add(Problem.invalid("consumer_selector", "consumer_selector names client " + Text.quote(clientId)
                        + ", which does not exist in this realm"));
            } else {
                selectorOk = true;
            }
        } else {
            problems.add(Problem.invalid("consumer_selector", "consumer_selector must be "
                    + RateLimitPolicy.CLIENT_SELECTOR_PREFIX + "<clientId> or " + RateLimitPolicy.DEFAULT_SELECTOR
                    + " (groups such as third_party_clients are not supported), not " + Text.quote(selector)));
        }

        RateLimitPolicy.Action action = RateLimitPolicy.Action.BLOCK;
        if (draft.action() != null) {
            action = RateLimitPolicy.Action.fromWire(draft.action()).orElse(null);
            if (action == null) {
                problems.add(Problem.invalid("action", "action must be block or log, not " + Text.quote(draft.action())));
            }
        }

        Integer limit = null;
        if (draft.limit() == null || draft.limit().isBlank()) {
            problems.add(Problem.invalid("limit", "limit is required: requests per second, 0 to " + MAX_LIMIT
                    + " (0 blocks the client)"));
        } else {
            limit = number(draft.limit(), 0, "limit", "limit must be a whole number of requests per second from 0 to "
                    + MAX_LIMIT + " (0 blocks the client)", problems);
        }

        Integer burst = null;
        if (draft.burst() != null && !draft.burst().isBlank()) {
            burst = number(draft.burst(), 0, "burst", "burst must be a whole number of requests from 1 to " + MAX_LIMIT
                    + " (0 only with limit 0)", problems);
            if (burst != null && limit != null && burst == 0 && limit > 0) {
                problems.add(Problem.invalid("burst", "burst must be at least 1 when limit is above 0"));
                burst = null;
            }
            if (burst != null && limit != null && limit == 0 && burst > 0) {
                problems.add(Problem.invalid("burst", "burst must be 0 or absent when limit is 0 (the client is blocked)"));
            }
        }

        if (selectorOk && problems.isEmpty()) {
            String consumer = clientId;
            realm.rateLimitPolicy(consumer)
                    .filter(other -> existing == null || !other.id().equals(existing.id()))
                    .filter(other -> draft.id() == null || !other.id().equals(draft.id()))
                    .ifPresent(other -> problems.add(Problem.invalid("consumer_selector", (consumer == null
                            ? "The realm already has a default rate-limit policy" : "Client " + Text.quote(consumer)
                            + " already has a rate-limit policy") + " (" + other.id() + "); update it instead")));
        }

        if (!problems.isEmpty()) throw new ValidationException(problems);
        String id = existing != null ? existing.id() : draft.id();
        return new RateLimitPolicy(id, clientId, action, limit, burst);
    }

    private static Integer number(String raw, int min, String field, String message, List<Problem> problems) {
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= min && v <= MAX_LIMIT) return (int) v;
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(Problem.invalid(field, message));
        return null;
    }
}
