package dev.keycloakm2m.admin;

import java.net.URI;

import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.RealmIndexCache;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.SessionRealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

/** What every request of the M2M admin API works with: the session, the realm, the caller's rights, admin events. */
record AdminContext(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {

    /** Reading needs view-realm (Keycloak answers 403 otherwise), like the console pages. */
    void requireView() {
        auth.realm().requireViewRealm();
    }

    /** Writing needs manage-realm (Keycloak answers 403 otherwise), like the console pages. */
    void requireManage() {
        auth.realm().requireManageRealm();
    }

    /** The realm's committed state, from the per-realm index (no component scan per request). */
    RealmIndex index() {
        return RealmIndexCache.get(session, realm);
    }

    /** The realm as the validators see it for one write. */
    SessionRealmView view() {
        return SessionRealmView.of(session, realm);
    }

    /**
     * Validates and writes: a refusal of the validator, or a write the database refuses as a duplicate (someone
     * else wrote the same thing first), becomes the admin error response; {@code conflict} is the problem reported
     * for the latter.
     */
    <T> T write(java.util.function.Supplier<T> write, Problem conflict, java.util.Map<String, String> bodyFields) {
        try {
            return write.get();
        } catch (ValidationException e) {
            throw AdminRequestException.of(e, bodyFields);
        } catch (M2mStore.Conflict e) {
            throw AdminRequestException.of(new ValidationException(conflict), bodyFields);
        }
    }

    String contentType() {
        return session.getContext().getRequestHeaders().getHeaderString("Content-Type");
    }

    /** Records an admin event: our own resource type, path relative to the realm, the representation. */
    void event(OperationType operation, String resourceType, JsonNode representation, String... path) {
        adminEvent.operation(operation).resource(resourceType).resourcePath(path).representation(representation).success();
    }

    /** 201 with the created object and its URL (the collection's URL plus the id) as Location. */
    Response created(JsonNode body, String id) {
        return created(body, session.getContext().getUri().getAbsolutePathBuilder().path(id).build());
    }

    /** 201 with the object a {@code PUT} created; Location is the request's own URL. */
    Response createdHere(JsonNode body) {
        return created(body, session.getContext().getUri().getAbsolutePath());
    }

    private static Response created(JsonNode body, URI location) {
        return Response.created(location).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response ok(JsonNode body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).cacheControl(noCache()).build();
    }

    static CacheControl noCache() {
        CacheControl cc = new CacheControl();
        cc.setNoCache(true);
        return cc;
    }
}
