package dev.keycloakm2m.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.keycloakm2m.auth0.Auth0Exporter;
import dev.keycloakm2m.store.RealmIndex;

/**
 * {@code GET /m2m/export?format=auth0-json|auth0-yaml}: the realm's APIs, client grants, client quotas and default
 * quota in the formats {@code /m2m/import} reads (view-realm).
 */
public final class ExportResource {

    static final String PATH = "export";

    private final AdminContext context;

    ExportResource(AdminContext context) {
        this.context = context;
    }

    @GET
    public Response export(@QueryParam("format") String format) {
        context.requireView();
        return AdminErrors.handle(() -> {
            RealmIndex index = context.index();
            String f = format == null || format.isEmpty() ? Auth0Exporter.JSON_FORMAT : format;
            java.util.function.Function<String, String> orgAlias = id -> dev.keycloakm2m.kc.Organizations
                    .byId(context.session(), context.realm(), id).map(dev.keycloakm2m.kc.Organizations.Organization::alias).orElse(null);
            if (f.equals(Auth0Exporter.JSON_FORMAT)) {
                return Response.ok(Auth0Exporter.json(index, orgAlias), "application/json").cacheControl(AdminContext.noCache())
                        .header("Content-Disposition", "attachment; filename=\"" + context.realm().getName().replaceAll("[^A-Za-z0-9._-]", "_")
                                + "-m2m.json\"").build();
            }
            if (f.equals(Auth0Exporter.YAML_FORMAT)) {
                return Response.ok(Auth0Exporter.yaml(index, context.realm().getName(), orgAlias), "application/yaml; charset=utf-8")
                        .cacheControl(AdminContext.noCache()).header("Content-Disposition", "attachment; filename=\"tenant.yaml\"").build();
            }
            throw AdminRequestException.badRequest("format", "format must be " + Auth0Exporter.JSON_FORMAT + " or " + Auth0Exporter.YAML_FORMAT);
        });
    }

    @Path("{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }
}
