package dev.keycloakm2m.admin;

import java.util.List;
import java.util.function.Supplier;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.representations.idm.ErrorRepresentation;
import org.keycloak.services.ErrorResponseException;

import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;

/**
 * Keycloak's admin error convention for everything this API refuses itself: status, and an
 * {@link ErrorRepresentation} body {@code {"errorMessage": ..., "field": ...}}, plus {@code errors} with every
 * problem when validation found more than one. Throwing Keycloak's {@link ErrorResponseException} also marks the
 * transaction rollback-only, so a refused request never leaves anything half-written.
 */
final class AdminErrors {

    private AdminErrors() {
    }

    /** Runs a request; refusals become Keycloak admin error responses. */
    static Response handle(Supplier<Response> request) {
        try {
            return request.get();
        } catch (AdminRequestException e) {
            throw toResponse(e);
        }
    }

    static ErrorResponseException toResponse(AdminRequestException e) {
        ErrorRepresentation body = new ErrorRepresentation(printable(e.field()), printable(e.getMessage()), null);
        List<Problem> all = e.problems();
        if (!all.isEmpty()) {
            body.setErrors(all.stream().map(p -> new ErrorRepresentation(printable(p.field()), printable(p.message()), null)).toList());
        }
        return new ErrorResponseException(Response.status(e.status()).entity(body).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    /**
     * Messages may quote request input: control characters and unpaired surrogates (which cannot even be written as
     * JSON text) are shown escaped, as {@code \u0000}.
     */
    static String printable(String s) {
        return s == null ? null : Text.printable(s);
    }
}
