package dev.keycloakm2m.admin;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.store.TokenQuota;

/**
 * Token quotas in the shapes of Auth0's Management API: a client's {@code token_quota}
 * {@code {"client_credentials": {"per_hour", "per_day", "enforce"}}}, and the realm default
 * {@code default_token_quota: {"clients": {"client_credentials": {...}}}} of the settings. Only the shape is
 * checked here; the values are checked by the one quota validator when the quota is written.
 */
final class TokenQuotaJson {

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String PER_HOUR = "per_hour";
    static final String PER_DAY = "per_day";
    static final String ENFORCE = "enforce";
    static final String CLIENTS = "clients";
    static final String ORGANIZATIONS = "organizations";
    static final String DEFAULT_TOKEN_QUOTA = "default_token_quota";

    private static final Set<String> QUOTA_FIELDS = Set.of(CLIENT_CREDENTIALS);
    private static final Set<String> LIMIT_FIELDS = Set.of(PER_HOUR, PER_DAY, ENFORCE);
    private static final Set<String> DEFAULT_FIELDS = Set.of(CLIENTS, ORGANIZATIONS);

    /** The validator's field names of a client quota → where they are in a {@code token-quota} body. */
    static final Map<String, String> CLIENT_QUOTA_BODY_FIELDS = Map.of(
            "per_hour", CLIENT_CREDENTIALS + "." + PER_HOUR,
            "per_day", CLIENT_CREDENTIALS + "." + PER_DAY,
            "enforce", CLIENT_CREDENTIALS + "." + ENFORCE);

    private static final String DEFAULT_LIMITS = DEFAULT_TOKEN_QUOTA + "." + CLIENTS + "." + CLIENT_CREDENTIALS;
    private static final String DEFAULT_ORG_LIMITS = DEFAULT_TOKEN_QUOTA + "." + ORGANIZATIONS + "." + CLIENT_CREDENTIALS;

    /** The settings validator's field names of the default quotas → where they are in a settings body. */
    static final Map<String, String> DEFAULT_QUOTA_BODY_FIELDS = Map.of(
            "default_per_hour", DEFAULT_LIMITS + "." + PER_HOUR,
            "default_per_day", DEFAULT_LIMITS + "." + PER_DAY,
            "default_enforce", DEFAULT_LIMITS + "." + ENFORCE,
            "default_org_per_hour", DEFAULT_ORG_LIMITS + "." + PER_HOUR,
            "default_org_per_day", DEFAULT_ORG_LIMITS + "." + PER_DAY,
            "default_org_enforce", DEFAULT_ORG_LIMITS + "." + ENFORCE);

    /** A quota's limits as received: decimal text, {@code null} = not given. */
    record Limits(String perHour, String perDay, String enforce) {
        static final Limits NONE = new Limits(null, null, null);
    }

    private TokenQuotaJson() {
    }

    /** Auth0's {@code token_quota}: {@code {"client_credentials": {"per_hour", "per_day", "enforce"}}}. */
    static ObjectNode toJson(TokenQuota quota) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set(CLIENT_CREDENTIALS, limits(quota));
        return o;
    }

    /** Auth0's {@code default_token_quota}: {@code {"clients": {"client_credentials": {...}}}}. */
    static ObjectNode defaultToJson(TokenQuota quota) {
        return defaultToJson(quota, null);
    }

    /**
     * Auth0's {@code default_token_quota}: {@code {"clients": {...}, "organizations": {...}}}, each part only when set
     * (at least one is).
     */
    static ObjectNode defaultToJson(TokenQuota clients, TokenQuota organizations) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (clients != null) o.set(CLIENTS, toJson(clients));
        if (organizations != null) o.set(ORGANIZATIONS, toJson(organizations));
        return o;
    }

    private static ObjectNode limits(TokenQuota quota) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (quota.perHour() == null) o.putNull(PER_HOUR);
        else o.put(PER_HOUR, quota.perHour());
        if (quota.perDay() == null) o.putNull(PER_DAY);
        else o.put(PER_DAY, quota.perDay());
        o.put(ENFORCE, quota.enforce());
        return o;
    }

    /**
     * The draft of a {@code PUT}: the body replaces the client's quota as a whole ({@code null} or absent limits are
     * no limit for that bucket, {@code enforce} defaults to true).
     */
    static ClientQuotaDraft forPut(ObjectNode body, String id, String clientId) {
        JsonFields o = JsonFields.of(body, "", QUOTA_FIELDS);
        JsonFields limits = o.object(CLIENT_CREDENTIALS, LIMIT_FIELDS);
        if (limits == null) {
            throw AdminRequestException.badRequest(CLIENT_CREDENTIALS, CLIENT_CREDENTIALS + " is required");
        }
        return new ClientQuotaDraft(id, clientId, limits.integer(PER_HOUR), limits.integer(PER_DAY), limits.bool(ENFORCE));
    }

    /**
     * The realm default for clients of a settings {@code PATCH} ({@code o} has {@value #DEFAULT_TOKEN_QUOTA}):
     * {@code null} removes both defaults; an object replaces each default it names ({@code null} removes it) and
     * keeps the one it does not name.
     */
    static Limits defaultForPatch(JsonFields o, Limits stored) {
        return defaultPartForPatch(o, CLIENTS, DEFAULT_LIMITS, stored);
    }

    /** The realm default for organizations of a settings {@code PATCH}, like {@link #defaultForPatch}. */
    static Limits organizationDefaultForPatch(JsonFields o, Limits stored) {
        return defaultPartForPatch(o, ORGANIZATIONS, DEFAULT_ORG_LIMITS, stored);
    }

    private static Limits defaultPartForPatch(JsonFields o, String part, String where, Limits stored) {
        JsonFields quota = o.object(DEFAULT_TOKEN_QUOTA, DEFAULT_FIELDS);
        if (quota == null) return Limits.NONE;
        if (!quota.has(part)) return stored;
        JsonFields partFields = quota.object(part, QUOTA_FIELDS);
        if (partFields == null) return Limits.NONE;
        JsonFields limits = partFields.object(CLIENT_CREDENTIALS, LIMIT_FIELDS);
        if (limits == null) {
            throw AdminRequestException.badRequest(where, where + " is required; send "
                    + DEFAULT_TOKEN_QUOTA + "." + part + ": null to remove the default");
        }
        Limits given = new Limits(limits.integer(PER_HOUR), limits.integer(PER_DAY), limits.bool(ENFORCE));
        if (given.perHour() == null && given.perDay() == null) {
            // the settings store "no limit at all" as "no default"; a body that asks for a quota must name a limit
            throw AdminRequestException.badRequest(where, where + " needs per_hour, per_day or both; send "
                    + DEFAULT_TOKEN_QUOTA + "." + part + ": null to remove the default");
        }
        return given;
    }

    static Limits limitsOf(TokenQuota quota) {
        if (quota == null) return Limits.NONE;
        return new Limits(quota.perHour() == null ? null : String.valueOf(quota.perHour()),
                quota.perDay() == null ? null : String.valueOf(quota.perDay()), String.valueOf(quota.enforce()));
    }
}
