package dev.keycloakm2m.admin;

import java.io.InputStream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.validation.Text;

/**
 * {@code /m2m/clients/{client_id}/token-quota} and {@code .../token-usage}: a client's own token quota (Auth0's
 * {@code token_quota} of a client) and what it used in the current windows. {@code client_id} is the Keycloak
 * clientId, URL-encoded in the path.
 */
public final class ClientTokenQuotaResource {

    static final String PATH = "clients";
    static final String QUOTA = "token-quota";
    static final String USAGE = "token-usage";
    /** GET / DELETE of the quota of a client that exists but has none of its own. */
    static final String NO_OWN_QUOTA = "The client has no token quota of its own";

    private final AdminContext context;

    ClientTokenQuotaResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Path("{client_id: .+}/" + QUOTA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response getQuota(@PathParam("client_id") String clientId) {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(TokenQuotaJson.toJson(ownQuota(client(clientId)).quota())));
    }

    /** Creates (201) or replaces (200) the client's quota as a whole. */
    @PUT
    @Path("{client_id: .+}/" + QUOTA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putQuota(@PathParam("client_id") String clientId, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientModel client = client(clientId);
            ClientQuota stored = context.index().quota(client.getClientId()).orElse(null);
            ClientQuotaDraft draft = TokenQuotaJson.forPut(RequestBody.read(body, context.contentType()),
                    stored == null ? null : stored.id(), client.getClientId());
            ClientQuota saved = context.write(() -> M2mStore.saveQuota(context.session(), context.realm().getId(), client.getId(),
                    TokenQuotaValidator.validate(draft, stored, context.view())),
                    Problem.conflict("client_id", "The client's token quota was changed at the same time; try again"),
                    TokenQuotaJson.CLIENT_QUOTA_BODY_FIELDS);
            ObjectNode rep = TokenQuotaJson.toJson(saved.quota());
            if (stored == null) {
                event(OperationType.CREATE, rep, client);
                return context.createdHere(rep);
            }
            event(OperationType.UPDATE, rep, client);
            return AdminContext.ok(rep);
        });
    }

    /** Removes the client's own quota: the realm default (if any) applies to it from now on. */
    @DELETE
    @Path("{client_id: .+}/" + QUOTA)
    public Response deleteQuota(@PathParam("client_id") String clientId) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientModel client = client(clientId);
            ClientQuota stored = ownQuota(client);
            M2mStore.deleteQuota(context.session(), context.realm().getId(), client.getId());
            event(OperationType.DELETE, TokenQuotaJson.toJson(stored.quota()), client);
            return Response.noContent().build();
        });
    }

    /** What the client used in the current UTC hour and day, against the quota that applies to it (if any). */
    @GET
    @Path("{client_id: .+}/" + USAGE)
    @Produces(MediaType.APPLICATION_JSON)
    public Response usage(@PathParam("client_id") String clientId) {
        context.requireView();
        return AdminErrors.handle(() -> {
            ClientModel client = client(clientId);
            TokenUsage usage = TokenUsage.of(context.index(), client, QuotaService.counts(context.session(), client), QuotaService.now());
            return AdminContext.ok(usage.toJson());
        });
    }

    /**
     * Anything else under {@code clients}: 404 in the admin error format. The framework hands this locator the
     * requests for the two endpoints with a method they lack too: those stay 405 like everywhere else.
     */
    @Path("{unknown: .*}")
    public Object unknown() {
        String path = context.session().getContext().getUri().getPath();
        String prefix = "/m2m/" + PATH + "/";
        int at = path.indexOf(prefix);
        String rest = at < 0 ? "" : path.substring(at + prefix.length());
        if (rest.matches("(?s).+/" + QUOTA)) throw notAllowed(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE);
        if (rest.matches("(?s).+/" + USAGE)) throw notAllowed(HttpMethod.GET);
        throw M2mAdminResource.unknownEndpoint();
    }

    private static NotAllowedException notAllowed(String... allowed) {
        return new NotAllowedException(Response.status(Response.Status.METHOD_NOT_ALLOWED).allow(allowed).build());
    }

    private ClientModel client(String clientId) {
        // no client id has control characters; some databases refuse them (NUL) even in a lookup
        ClientModel client = clientId == null || clientId.isEmpty() || Text.hasControlOrBroken(clientId) ? null
                : context.session().clients().getClientByClientId(context.realm(), clientId);
        if (client == null) throw AdminRequestException.notFound(TokenQuotaValidator.CLIENT_NOT_FOUND);
        return client;
    }

    private ClientQuota ownQuota(ClientModel client) {
        return context.index().quota(client.getClientId()).orElseThrow(() -> AdminRequestException.notFound(NO_OWN_QUOTA));
    }


    private void event(OperationType operation, ObjectNode representation, ClientModel client) {
        context.event(operation, M2mAdminResource.TOKEN_QUOTA_EVENT, representation, "m2m", PATH, client.getClientId(), QUOTA);
    }
}
