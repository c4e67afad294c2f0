package dev.keycloakm2m.admin;

import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.store.RealmIndex;

/** {@code /m2m/resource-servers}: APIs, like Auth0's {@code /api/v2/resource-servers}. */
public final class ResourceServersResource {

    static final String PATH = "resource-servers";
    static final int MAX_IDENTIFIERS = 10;
    private static final Problem DUPLICATE = Problem.conflict("identifier", ResourceServerValidator.DUPLICATE_IDENTIFIER);

    private final AdminContext context;

    ResourceServersResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("page") String page, @QueryParam("per_page") String perPage,
                         @QueryParam("include_totals") String includeTotals, @QueryParam("identifiers") List<String> identifiers,
                         @QueryParam("q") String q) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Paging paging = Paging.parse(page, perPage, includeTotals);
            RealmIndex index = context.index();
            List<ResourceServer> apis;
            if (identifiers == null || identifiers.isEmpty()) {
                apis = index.apisInOrder();
            } else {
                if (identifiers.size() > MAX_IDENTIFIERS) {
                    throw AdminRequestException.badRequest("identifiers", "at most " + MAX_IDENTIFIERS + " identifiers per request");
                }
                apis = new LinkedHashSet<>(identifiers).stream().map(index::apiByIdentifier).flatMap(Optional::stream)
                        .sorted(RealmIndex.API_ORDER).toList();
            }
            if (q != null && !q.isBlank()) {
                // the console's search: a part of the name or identifier, case-insensitive
                String needle = q.strip().toLowerCase(Locale.ROOT);
                apis = apis.stream().filter(a -> a.name().toLowerCase(Locale.ROOT).contains(needle)
                        || a.identifier().toLowerCase(Locale.ROOT).contains(needle)).toList();
            }
            return AdminContext.ok(paging.render(apis, ResourceServerJson::toJson, "resource_servers"));
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ResourceServerDraft draft = ResourceServerJson.forCreate(RequestBody.read(body, context.contentType()));
            ResourceServer api = context.write(() -> M2mStore.createApi(context.session(), context.realm().getId(),
                    ResourceServerValidator.validate(draft, null, context.view())), DUPLICATE, Map.of());
            ObjectNode rep = ResourceServerJson.toJson(api);
            context.event(OperationType.CREATE, M2mAdminResource.RESOURCE_SERVER_EVENT, rep, "m2m", PATH, api.id());
            return context.created(rep, api.id());
        });
    }

    /** {@code id} is the API's id or its identifier (URL-encoded: identifiers usually contain slashes). */
    @GET
    @Path("{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(ResourceServerJson.toJson(find(id))));
    }

    @PATCH
    @Path("{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(@PathParam("id") String id, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            ResourceServer stored = find(id);
            ObjectNode json = RequestBody.read(body, context.contentType());
            ResourceServerDraft draft = ResourceServerJson.forPatch(json, stored);
            ResourceServer api = context.write(() -> {
                ResourceServer valid = ResourceServerValidator.validate(draft, stored, context.view());
                M2mStore.updateApi(context.session(), context.realm().getId(), valid);
                return valid;
            }, DUPLICATE, Map.of());
            ObjectNode rep = ResourceServerJson.toJson(api);
            context.event(OperationType.UPDATE, M2mAdminResource.RESOURCE_SERVER_EVENT, rep, "m2m", PATH, stored.id());
            return AdminContext.ok(rep);
        });
    }

    /** Deletes the API and, in the same transaction, its client grants (each recorded as an admin event). */
    @DELETE
    @Path("{id: .+}")
    public Response delete(@PathParam("id") String id) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            RealmIndex index = context.index();
            ResourceServer stored = find(id);
            List<ClientGrant> grants = index.grantsInOrder().stream()
                    .filter(g -> g.audience().equals(stored.identifier())).toList();
            M2mStore.deleteApi(context.session(), context.realm().getId(), stored.id());
            for (ClientGrant g : grants) {
                context.event(OperationType.DELETE, M2mAdminResource.CLIENT_GRANT_EVENT, ClientGrantJson.toJson(g),
                        "m2m", ClientGrantsResource.PATH, g.id());
            }
            context.event(OperationType.DELETE, M2mAdminResource.RESOURCE_SERVER_EVENT, ResourceServerJson.toJson(stored),
                    "m2m", PATH, stored.id());
            return Response.noContent().build();
        });
    }

    private ResourceServer find(String idOrIdentifier) {
        RealmIndex index = context.index();
        return index.apiById(idOrIdentifier).or(() -> index.apiByIdentifier(idOrIdentifier))
                .orElseThrow(() -> AdminRequestException.notFound(ClientGrantValidator.API_NOT_FOUND));
    }

}
