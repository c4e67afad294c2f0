package dev.keycloakm2m.admin;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakm2m.quota.Bucket;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.quota.Counts;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.store.RealmIndex;

/**
 * {@code /m2m/token-usage}: every client a quota applies to (its own, or the realm default for clients that can use
 * client_credentials) or that was counted in the current UTC hour or day, paged like the other lists and sortable
 * by use.
 */
public final class TokenUsageResource {

    static final String ITEMS = "token_usage";

    static final String DEFAULT_SORT = "client_id:1";
    /** Auth0-style {@code field:1} (ascending) / {@code field:-1} (descending); ties in client_id order. */
    static final Map<String, Comparator<TokenUsage>> SORTS;
    static final String SORT_VALUES;

    static {
        Comparator<TokenUsage> byClient = Comparator.comparing(TokenUsage::clientId);
        Map<String, Comparator<TokenUsage>> sorts = new LinkedHashMap<>();
        sorts.put("client_id:1", byClient);
        sorts.put("client_id:-1", byClient.reversed());
        for (Bucket b : Bucket.values()) {
            Comparator<TokenUsage> byUse = Comparator.comparingLong(u -> u.used(b));
            sorts.put(b.wire() + ":-1", byUse.reversed().thenComparing(byClient));
            sorts.put(b.wire() + ":1", byUse.thenComparing(byClient));
        }
        SORTS = Map.copyOf(sorts);
        SORT_VALUES = String.join(", ", sorts.keySet());
    }

    private final AdminContext context;

    TokenUsageResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
                         @QueryParam("include_totals") String includeTotals, @QueryParam("sort") String sort) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            Comparator<TokenUsage> order = order(sort);
            long now = QuotaService.now();
            List<TokenUsage> usage = usage(context.session(), context.realm(), context.index(), now).stream().sorted(order).toList();
            return AdminContext.ok(paging.render(usage, TokenUsage::toJson, ITEMS));
        });
    }

    @Path("{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }

    static Comparator<TokenUsage> order(String sort) {
        Comparator<TokenUsage> order = SORTS.get(sort == null || sort.isEmpty() ? DEFAULT_SORT : sort);
        if (order == null) throw AdminRequestException.badRequest("sort", "sort must be one of: " + SORT_VALUES);
        return order;
    }

    /**
     * Clients with a quota of their own; with a realm default, every client that can use client_credentials; and
     * every client counted in the current windows (for example after its quota was removed).
     */
    private static List<TokenUsage> usage(KeycloakSession session, RealmModel realm, RealmIndex index, long now) {
        Map<String, Counts> counts = QuotaService.realmCounts(session, realm);
        Map<String, ClientModel> clients = new LinkedHashMap<>();
        for (ClientQuota q : index.quotas()) {
            ClientModel c = session.clients().getClientByClientId(realm, q.clientId());
            if (c != null) clients.put(c.getId(), c);
        }
        if (index.settings().defaultQuota() != null) {
            session.clients().getClientsStream(realm).filter(TokenUsage::usesClientCredentials)
                    .forEach(c -> clients.putIfAbsent(c.getId(), c));
        }
        counts.forEach((uuid, c) -> {
            if (c.used(Bucket.PER_HOUR, now) > 0 || c.used(Bucket.PER_DAY, now) > 0) {
                clients.computeIfAbsent(uuid, id -> session.clients().getClientById(realm, id));
            }
        });
        return clients.values().stream().map(c -> TokenUsage.of(index, c, counts.getOrDefault(c.getId(), Counts.NONE), now)).toList();
    }
}
