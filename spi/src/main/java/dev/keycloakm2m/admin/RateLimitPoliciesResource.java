package dev.keycloakm2m.admin;

import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.ratelimit.RateLimitPolicyDraft;
import dev.keycloakm2m.ratelimit.RateLimitPolicyValidator;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.SessionRealmView;
import dev.keycloakm2m.validation.Problem;

/**
 * {@code /m2m/rate-limit-policies}: requests per second on the token endpoint, per client or as the realm default,
 * like Auth0's {@code /api/v2/rate-limit-policies}.
 */
public final class RateLimitPoliciesResource {

    static final String PATH = "rate-limit-policies";
    static final String POLICY_NOT_FOUND = "The rate limit policy does not exist.";

    private final AdminContext context;

    RateLimitPoliciesResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
                         @QueryParam("include_totals") String includeTotals) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            return AdminContext.ok(paging.render(context.index().rateLimitPoliciesInOrder(), RateLimitPolicyJson::toJson,
                    "rate_limit_policies"));
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            RateLimitPolicyDraft draft = RateLimitPolicyJson.forCreate(RequestBody.read(body, context.contentType()));
            RateLimitPolicy policy = context.write(() -> save(draft, null), duplicate(), Map.of());
            ObjectNode rep = RateLimitPolicyJson.toJson(policy);
            context.event(OperationType.CREATE, M2mAdminResource.RATE_LIMIT_POLICY_EVENT, rep, "m2m", PATH, policy.id());
            return context.created(rep, policy.id());
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(RateLimitPolicyJson.toJson(find(id))));
    }

    @PATCH
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(@PathParam("id") String id, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            RateLimitPolicy stored = find(id);
            RateLimitPolicyDraft draft = RateLimitPolicyJson.forPatch(RequestBody.read(body, context.contentType()), stored);
            ObjectNode rep = RateLimitPolicyJson.toJson(context.write(() -> save(draft, stored), duplicate(), Map.of()));
            context.event(OperationType.UPDATE, M2mAdminResource.RATE_LIMIT_POLICY_EVENT, rep, "m2m", PATH, stored.id());
            return AdminContext.ok(rep);
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            RateLimitPolicy stored = find(id);
            M2mStore.deleteRateLimitPolicy(context.session(), context.realm().getId(), stored.id());
            context.event(OperationType.DELETE, M2mAdminResource.RATE_LIMIT_POLICY_EVENT, RateLimitPolicyJson.toJson(stored),
                    "m2m", PATH, stored.id());
            return Response.noContent().build();
        });
    }

    @Path("{id}/{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }

    private RateLimitPolicy find(String id) {
        return context.index().rateLimitPolicyById(id).orElseThrow(() -> AdminRequestException.notFound(POLICY_NOT_FOUND));
    }

    private RateLimitPolicy save(RateLimitPolicyDraft draft, RateLimitPolicy stored) {
        SessionRealmView view = context.view();
        RateLimitPolicy valid = RateLimitPolicyValidator.validate(draft, stored, view);
        String clientInternalId = valid.clientId() == null ? null : view.client(valid.clientId()).map(ClientInfo::id).orElseThrow();
        return M2mStore.saveRateLimitPolicy(context.session(), context.realm().getId(), clientInternalId, valid);
    }

    /** The database refused a second policy for the same consumer written at the same time. */
    private static Problem duplicate() {
        return Problem.invalid("consumer_selector", "A rate-limit policy for this consumer was written at the same time; "
                + "update that one instead");
    }
}
