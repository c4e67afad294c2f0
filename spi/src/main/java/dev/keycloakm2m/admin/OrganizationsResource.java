package dev.keycloakm2m.admin;

import java.io.InputStream;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.kc.Organizations.Organization;
import dev.keycloakm2m.quota.QuotaService;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.OrganizationQuota;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;

/**
 * {@code /m2m/organizations/{org}/...}: M2M access of one of Keycloak's organizations ({@code org}: its id or alias),
 * like Auth0's {@code /api/v2/organizations/{id}/client-grants} and an organization's {@code token_quota}: the client
 * grants it is associated with, its own token quota and its token usage.
 */
public final class OrganizationsResource {

    static final String PATH = "organizations";
    static final String CLIENT_GRANTS = "client-grants";
    static final String QUOTA = "token-quota";
    static final String USAGE = "token-usage";
    /** Auth0's message for an unknown organization. */
    static final String ORGANIZATION_NOT_FOUND = "No organization found by that id or name";
    static final String NOT_ASSOCIATED = "The grant is not associated with the organization";
    static final String NO_OWN_QUOTA = "The organization has no token quota of its own";
    static final String GRANT_ID = "grant_id";

    private final AdminContext context;

    OrganizationsResource(AdminContext context) {
        this.context = context;
    }

    // ---- client grants of the organization

    @GET
    @Path("{org}/" + CLIENT_GRANTS)
    @Produces(MediaType.APPLICATION_JSON)
    public Response grants(@PathParam("org") String org, @QueryParam("page") String page, @QueryParam("per_page") String perPage,
                           @QueryParam("include_totals") String includeTotals, @QueryParam("audience") String audience,
                           @QueryParam("client_id") String clientId) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            Paging paging = Paging.parse(page, perPage, includeTotals);
            Stream<ClientGrant> grants = context.index().grantsOfOrganization(organization.id()).stream();
            if (audience != null && !audience.isEmpty()) grants = grants.filter(g -> g.audience().equals(audience));
            if (clientId != null && !clientId.isEmpty()) grants = grants.filter(g -> g.clientId().equals(clientId));
            return AdminContext.ok(paging.render(grants.toList(), ClientGrantJson::toJson, "client_grants"));
        });
    }

    /** Associates a client grant ({@code {"grant_id": ...}}) with the organization: 201 with the grant. */
    @POST
    @Path("{org}/" + CLIENT_GRANTS)
    @Produces(MediaType.APPLICATION_JSON)
    public Response associate(@PathParam("org") String org, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            JsonFields o = JsonFields.of(RequestBody.read(body, context.contentType()), "", Set.of(GRANT_ID));
            String grantId = o.text(GRANT_ID);
            if (grantId == null || grantId.isEmpty()) throw AdminRequestException.badRequest(GRANT_ID, "grant_id is required");
            ClientGrant grant = grant(grantId);
            boolean added = context.write(() -> M2mStore.associate(context.session(), context.realm().getId(), organization.id(), grant.id()),
                    conflict(organization, grant), java.util.Map.of());
            if (!added) throw AdminRequestException.of(new dev.keycloakm2m.validation.ValidationException(conflict(organization, grant)));
            ObjectNode rep = ClientGrantJson.toJson(grant);
            context.event(OperationType.CREATE, M2mAdminResource.ORGANIZATION_GRANT_EVENT, rep, "m2m", PATH, organization.id(),
                    CLIENT_GRANTS, grant.id());
            return context.created(rep, grant.id());
        });
    }

    @DELETE
    @Path("{org}/" + CLIENT_GRANTS + "/{grant_id}")
    public Response dissociate(@PathParam("org") String org, @PathParam("grant_id") String grantId) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            ClientGrant grant = grant(grantId);
            if (!M2mStore.dissociate(context.session(), context.realm().getId(), organization.id(), grant.id())) {
                throw AdminRequestException.notFound(NOT_ASSOCIATED);
            }
            context.event(OperationType.DELETE, M2mAdminResource.ORGANIZATION_GRANT_EVENT, ClientGrantJson.toJson(grant), "m2m", PATH,
                    organization.id(), CLIENT_GRANTS, grant.id());
            return Response.noContent().build();
        });
    }

    // ---- token quota and usage of the organization

    @GET
    @Path("{org}/" + QUOTA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response getQuota(@PathParam("org") String org) {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(TokenQuotaJson.toJson(ownQuota(organization(org)).quota())));
    }

    /** Creates (201) or replaces (200) the organization's quota as a whole; the body is a client's quota body. */
    @PUT
    @Path("{org}/" + QUOTA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putQuota(@PathParam("org") String org, InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            OrganizationQuota stored = context.index().organizationQuota(organization.id()).orElse(null);
            var draft = TokenQuotaJson.forPut(RequestBody.read(body, context.contentType()), null, organization.id());
            OrganizationQuota saved = context.write(() -> M2mStore.saveOrganizationQuota(context.session(), context.realm().getId(),
                            TokenQuotaValidator.validateOrganization(organization.id(), draft.perHour(), draft.perDay(), draft.enforce(), stored)),
                    Problem.conflict("organization", "The organization's token quota was changed at the same time; try again"),
                    TokenQuotaJson.CLIENT_QUOTA_BODY_FIELDS);
            ObjectNode rep = TokenQuotaJson.toJson(saved.quota());
            quotaEvent(stored == null ? OperationType.CREATE : OperationType.UPDATE, rep, organization);
            return stored == null ? context.createdHere(rep) : AdminContext.ok(rep);
        });
    }

    /** Removes the organization's own quota: the realm default for organizations (if any) applies from now on. */
    @DELETE
    @Path("{org}/" + QUOTA)
    public Response deleteQuota(@PathParam("org") String org) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            OrganizationQuota stored = ownQuota(organization);
            M2mStore.deleteOrganizationQuota(context.session(), context.realm().getId(), organization.id());
            quotaEvent(OperationType.DELETE, TokenQuotaJson.toJson(stored.quota()), organization);
            return Response.noContent().build();
        });
    }

    /** Tokens issued for the organization in the current UTC hour and day, against the quota that applies to it. */
    @GET
    @Path("{org}/" + USAGE)
    @Produces(MediaType.APPLICATION_JSON)
    public Response usage(@PathParam("org") String org) {
        context.requireView();
        return AdminErrors.handle(() -> {
            Organization organization = organization(org);
            return AdminContext.ok(TokenUsage.organizationJson(context.index(), organization.id(),
                    QuotaService.organizationCounts(context.session(), organization.id()), QuotaService.now()));
        });
    }

    @Path("{unknown: .*}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }

    // ----

    /** The organization the path names (id or alias); 404 when the realm has none of that id or alias. */
    private Organization organization(String idOrAlias) {
        if (idOrAlias == null || idOrAlias.isEmpty() || Text.hasControlOrBroken(idOrAlias)) {
            throw AdminRequestException.notFound(ORGANIZATION_NOT_FOUND);
        }
        return Organizations.find(context.session(), context.realm(), idOrAlias)
                .orElseThrow(() -> AdminRequestException.notFound(ORGANIZATION_NOT_FOUND));
    }

    private ClientGrant grant(String id) {
        RealmIndex index = context.index();
        return index.grantById(id).orElseThrow(() -> AdminRequestException.notFound(ClientGrantsResource.GRANT_NOT_FOUND));
    }

    private OrganizationQuota ownQuota(Organization organization) {
        return context.index().organizationQuota(organization.id()).orElseThrow(() -> AdminRequestException.notFound(NO_OWN_QUOTA));
    }

    private static Problem conflict(Organization organization, ClientGrant grant) {
        return Problem.conflict(GRANT_ID, "The client grant " + grant.id() + " is already associated with the organization "
                + organization.alias());
    }

    private void quotaEvent(OperationType operation, ObjectNode representation, Organization organization) {
        context.event(operation, M2mAdminResource.TOKEN_QUOTA_EVENT, representation, "m2m", PATH, organization.id(), QUOTA);
    }
}
