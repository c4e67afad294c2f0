package dev.keycloakm2m.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.keycloak.models.ClientModel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.quota.Bucket;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.quota.Counts;
import dev.keycloakm2m.store.TokenQuota;
import dev.keycloakm2m.store.RealmIndex;

/**
 * A client's token usage in the current UTC hour and day windows, as the admin API reports it: which quota applies
 * (the client's own, the realm default, or none), and per bucket the quota, the tokens counted, what is left and
 * when the window resets.
 *
 * @param source {@code null} when no quota applies to the client
 * @param quota  {@code null} when no quota applies to the client
 * @param now    epoch second the usage is reported for (Keycloak's clock)
 */
record TokenUsage(String clientId, Source source, TokenQuota quota, Counts counts, long now) {

    static final String CLIENT_ID = "client_id";
    static final String QUOTA_SOURCE = "quota_source";
    static final String ENFORCE = "enforce";
    static final String QUOTA = "quota";
    static final String USED = "used";
    static final String REMAINING = "remaining";
    static final String RESET_AT = "reset_at";

    /** Auth0's date format: ISO-8601 in UTC with milliseconds. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Where the quota that applies comes from. */
    enum Source {
        CLIENT("client"),
        ORGANIZATION("organization"),
        REALM_DEFAULT("realm_default");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }
    }

    /**
     * The quota that applies to {@code client} as the token endpoint applies it: its own, else the realm default
     * for a client that can use client_credentials at all (confidential, service accounts enabled), else none.
     */
    static TokenUsage of(RealmIndex index, ClientModel client, Counts counts, long now) {
        ClientQuota own = index.quota(client.getClientId()).orElse(null);
        if (own != null) return new TokenUsage(client.getClientId(), Source.CLIENT, own.quota(), counts, now);
        TokenQuota realmDefault = index.settings().defaultQuota();
        if (realmDefault != null && usesClientCredentials(client)) {
            return new TokenUsage(client.getClientId(), Source.REALM_DEFAULT, realmDefault, counts, now);
        }
        return new TokenUsage(client.getClientId(), null, null, counts, now);
    }

    /**
     * An organization's usage as JSON: {@code organization_id} instead of {@code client_id}; the quota that applies is
     * the organization's own ({@code quota_source: organization}), else the realm default for organizations.
     */
    static ObjectNode organizationJson(RealmIndex index, String organizationId, Counts counts, long now) {
        TokenQuota own = index.organizationQuota(organizationId).map(q -> q.quota()).orElse(null);
        TokenQuota realmDefault = index.settings().defaultOrganizationQuota();
        TokenUsage usage = own != null ? new TokenUsage(organizationId, Source.ORGANIZATION, own, counts, now)
                : new TokenUsage(organizationId, realmDefault == null ? null : Source.REALM_DEFAULT, realmDefault, counts, now);
        ObjectNode client = usage.toJson();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("organization_id", organizationId);
        client.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(CLIENT_ID)) o.set(e.getKey(), e.getValue());
        });
        return o;
    }

    static boolean usesClientCredentials(ClientModel client) {
        return !client.isPublicClient() && !client.isBearerOnly() && client.isServiceAccountsEnabled();
    }

    /** Tokens counted in the current window of {@code bucket}. */
    long used(Bucket bucket) {
        return counts.used(bucket, now);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(CLIENT_ID, clientId);
        if (source == null) o.putNull(QUOTA_SOURCE);
        else o.put(QUOTA_SOURCE, source.wire());
        if (quota == null) o.putNull(ENFORCE);
        else o.put(ENFORCE, quota.enforce());
        o.set(Bucket.PER_HOUR.wire(), bucket(Bucket.PER_HOUR, quota == null ? null : quota.perHour()));
        o.set(Bucket.PER_DAY.wire(), bucket(Bucket.PER_DAY, quota == null ? null : quota.perDay()));
        return o;
    }

    private ObjectNode bucket(Bucket bucket, Integer limit) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        long used = used(bucket);
        if (limit == null) {
            o.putNull(QUOTA);
            o.put(USED, used);
            o.putNull(REMAINING);
        } else {
            o.put(QUOTA, limit);
            o.put(USED, used);
            o.put(REMAINING, Math.max(0, limit - used));
        }
        o.put(RESET_AT, DATE.format(Instant.ofEpochSecond(bucket.windowEnd(now))));
        return o;
    }
}
