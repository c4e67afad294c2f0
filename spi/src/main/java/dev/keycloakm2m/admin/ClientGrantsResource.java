package dev.keycloakm2m.admin;

import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

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

import java.util.Map;
import org.keycloak.events.admin.OperationType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.SessionRealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.store.RealmIndex;

/** {@code /m2m/client-grants}: which client may get tokens for which API, like Auth0's {@code /api/v2/client-grants}. */
public final class ClientGrantsResource {

    static final String PATH = "client-grants";
    /** Auth0's message for an unknown grant id. */
    static final String GRANT_NOT_FOUND = "The grant does not exist.";

    private final AdminContext context;

    ClientGrantsResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
                         @QueryParam("include_totals") String includeTotals, @QueryParam("audience") String audience,
                         @QueryParam("client_id") String clientId, @QueryParam("allow_any_organization") String allowAnyOrganization) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            RealmIndex index = context.index();
            Stream<ClientGrant> grants = isEmpty(clientId) ? index.grantsInOrder().stream() : index.grantsOfClient(clientId).stream();
            if (!isEmpty(audience)) grants = grants.filter(g -> g.audience().equals(audience));
            if (!isEmpty(allowAnyOrganization)) {
                // Auth0 accepts only true here
                if (!allowAnyOrganization.equals("true")) {
                    throw AdminRequestException.badRequest("allow_any_organization", "allow_any_organization can only be true");
                }
                grants = grants.filter(ClientGrant::allowAnyOrganization);
            }
            return AdminContext.ok(paging.render(grants.toList(), ClientGrantJson::toJson, "client_grants"));
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientGrantDraft draft = ClientGrantJson.forCreate(RequestBody.read(body, context.contentType()));
            ClientGrant grant = context.write(() -> save(draft, null), duplicate(draft), Map.of());
            ObjectNode rep = ClientGrantJson.toJson(grant);
            context.event(OperationType.CREATE, M2mAdminResource.CLIENT_GRANT_EVENT, rep, "m2m", PATH, grant.id());
            return context.created(rep, grant.id());
        });
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(ClientGrantJson.toJson(find(id))));
    }

    /** Only {@code scope} and {@code allow_all_scopes} may change; a different client_id or audience is refused. */
    @PATCH
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(@PathParam("id") String id, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientGrant stored = find(id);
            ClientGrantDraft draft = ClientGrantJson.forPatch(RequestBody.read(body, context.contentType()), stored);
            ObjectNode rep = ClientGrantJson.toJson(context.write(() -> save(draft, stored), duplicate(draft), Map.of()));
            context.event(OperationType.UPDATE, M2mAdminResource.CLIENT_GRANT_EVENT, rep, "m2m", PATH, stored.id());
            return AdminContext.ok(rep);
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientGrant stored = find(id);
            M2mStore.deleteGrant(context.session(), context.realm().getId(), stored.id());
            context.event(OperationType.DELETE, M2mAdminResource.CLIENT_GRANT_EVENT, ClientGrantJson.toJson(stored),
                    "m2m", PATH, stored.id());
            return Response.noContent().build();
        });
    }

    /**
     * The organizations associated with the grant (Auth0's {@code GET /client-grants/{id}/organizations}):
     * {@code id}, {@code name} (Keycloak's alias, the organization's identifier) and {@code display_name} (Keycloak's
     * name), by name.
     */
    @GET
    @Path("{id}/organizations")
    @Produces(MediaType.APPLICATION_JSON)
    public Response organizations(@PathParam("id") String id, @QueryParam("page") String page, @QueryParam("per_page") String perPage,
                                  @QueryParam("include_totals") String includeTotals) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            ClientGrant grant = find(id);
            List<Organizations.Organization> orgs = context.index().organizationsOfGrant(grant.id()).stream()
                    .map(orgId -> Organizations.byId(context.session(), context.realm(), orgId).orElse(null))
                    .filter(java.util.Objects::nonNull)
                    .sorted(java.util.Comparator.comparing(Organizations.Organization::alias))
                    .toList();
            return AdminContext.ok(paging.render(orgs, ClientGrantsResource::organizationJson, "organizations"));
        });
    }

    static com.fasterxml.jackson.databind.node.ObjectNode organizationJson(Organizations.Organization org) {
        com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        o.put("id", org.id());
        o.put("name", org.alias());
        o.put("display_name", org.name());
        return o;
    }

    @Path("{id}/{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }

    private static boolean isEmpty(String filter) {
        return filter == null || filter.isEmpty();
    }

    private ClientGrant find(String id) {
        return context.index().grantById(id).orElseThrow(() -> AdminRequestException.notFound(GRANT_NOT_FOUND));
    }

    /** Validates and stores a grant; the client and API it names are resolved by the validator's view. */
    private ClientGrant save(ClientGrantDraft draft, ClientGrant stored) {
        SessionRealmView view = context.view();
        ClientGrant valid = ClientGrantValidator.validate(draft, stored, view);
        String clientInternalId = view.client(valid.clientId()).map(ClientInfo::id).orElseThrow();
        String apiId = view.apiByIdentifier(valid.audience()).map(ResourceServer::id).orElseThrow();
        return M2mStore.saveGrant(context.session(), context.realm().getId(), clientInternalId, apiId, valid);
    }

    private static Problem duplicate(ClientGrantDraft draft) {
        return Problem.conflict("client_id", "A client grant already exists between " + draft.clientId() + " and " + draft.audience());
    }
}
