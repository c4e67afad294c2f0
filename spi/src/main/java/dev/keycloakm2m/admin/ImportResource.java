package dev.keycloakm2m.admin;

import java.io.InputStream;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.services.ErrorResponseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.auth0.Auth0Importer;
import dev.keycloakm2m.auth0.ImportException;
import dev.keycloakm2m.auth0.ImportOptions;
import dev.keycloakm2m.auth0.TenantReader;
import dev.keycloakm2m.store.M2mStore;

/**
 * {@code POST /m2m/import}: an Auth0 tenant's APIs, M2M applications, client grants and quotas, from Management API
 * JSON, a Deploy CLI {@code tenant.yaml} or a Deploy CLI directory as a zip. manage-realm; creating clients
 * ({@code create_missing_clients=true}) also needs manage-clients. All or nothing, in the request's transaction.
 */
public final class ImportResource {

    static final String PATH = "import";
    static final String IMPORT_EVENT = "M2M_IMPORT";

    private final AdminContext context;

    ImportResource(AdminContext context) {
        this.context = context;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response importTenant(InputStream body, @QueryParam("dry_run") String dryRun,
                                 @QueryParam("create_missing_clients") String createMissingClients,
                                 @QueryParam("skip_unresolved") String skipUnresolved,
                                 @QueryParam("keep_client_ids") String keepClientIds,
                                 @QueryParam("keywords") String keywords, @QueryParam("client_map") String clientMap) {
        context.requireManage();
        TenantReader.Format format = TenantReader.format(context.contentType());
        if (format == null) {
            throw AdminErrors.toResponse(new AdminRequestException(AdminRequestException.UNSUPPORTED_MEDIA_TYPE, null,
                    "Content-Type must be application/json (Management API JSON), application/yaml (Deploy CLI tenant.yaml)"
                            + " or application/zip (Deploy CLI directory)"));
        }
        try {
            ImportOptions options = ImportOptions.parse(dryRun, createMissingClients, skipUnresolved, keepClientIds, keywords, clientMap);
            if (options.createMissingClients() && !options.dryRun()) context.auth().clients().requireManage();
            byte[] bytes = TenantReader.readBody(body);
            ObjectNode result = Auth0Importer.run(context.session(), context.realm(), format, bytes, options);
            if (!options.dryRun()) {
                context.event(OperationType.ACTION, IMPORT_EVENT, summary(result), "m2m", PATH);
            }
            return AdminContext.ok(result);
        } catch (ImportException e) {
            context.session().getTransactionManager().setRollbackOnly();
            throw new ErrorResponseException(Response.status(e.status()).entity(e.body()).type(MediaType.APPLICATION_JSON_TYPE).build());
        } catch (org.keycloak.models.ModelDuplicateException e) {
            context.session().getTransactionManager().setRollbackOnly();
            throw AdminErrors.toResponse(new AdminRequestException(409, null,
                    "A client of the import was created at the same time by someone else; nothing was imported, try again"));
        } catch (M2mStore.Conflict e) {
            context.session().getTransactionManager().setRollbackOnly();
            throw AdminErrors.toResponse(new AdminRequestException(409, null,
                    "The realm's M2M configuration was changed at the same time; nothing was imported, try again"));
        }
    }

    /** The admin event keeps the summary of the plan (a plan of 10,000 grants is megabytes), never a secret. */
    private static JsonNode summary(ObjectNode result) {
        ObjectNode event = result.objectNode();
        event.set("summary", result.get("summary"));
        return event;
    }

    @Path("{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }
}
