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

import org.keycloak.component.ComponentModel;
import org.keycloak.events.admin.OperationType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.grant.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.grant.GrantComponent;
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
                         @QueryParam("client_id") String clientId) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            RealmIndex index = context.index();
            Stream<ClientGrant> grants = isEmpty(clientId) ? index.grantsInOrder().stream() : index.grantsOfClient(clientId).stream();
            if (!isEmpty(audience)) grants = grants.filter(g -> g.audience().equals(audience));
            return AdminContext.ok(paging.render(grants.toList(), ClientGrantJson::toJson, "client_grants"));
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ClientGrantDraft draft = ClientGrantJson.forCreate(RequestBody.read(body, context.contentType()));
            ComponentModel model = GrantComponent.newModel(context.realm().getId());
            GrantComponent.writeDraft(draft, model);
            ClientGrant grant = GrantComponent.read(ComponentWrites.create(context.realm(), model));
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
            ComponentModel model = new ComponentModel(component(stored));
            GrantComponent.writeDraft(draft, model);
            ComponentWrites.update(context.realm(), model);
            ObjectNode rep = ClientGrantJson.toJson(GrantComponent.read(model));
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
            context.realm().removeComponent(component(stored));
            context.event(OperationType.DELETE, M2mAdminResource.CLIENT_GRANT_EVENT, ClientGrantJson.toJson(stored),
                    "m2m", PATH, stored.id());
            return Response.noContent().build();
        });
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

    private ComponentModel component(ClientGrant grant) {
        ComponentModel c = context.realm().getComponent(grant.id());
        if (c == null || !GrantComponent.is(c)) throw AdminRequestException.notFound(GRANT_NOT_FOUND);
        return c;
    }
}
