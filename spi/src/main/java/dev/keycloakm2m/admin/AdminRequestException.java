package dev.keycloakm2m.admin;

import java.util.List;

import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

/**
 * A request the admin REST API refuses: HTTP status, the field at fault ({@code null} when none) and the message;
 * every problem found when the refusal comes from validation. Plain Java so that request parsing can be unit-tested;
 * {@link AdminErrors} turns it into Keycloak's admin error response.
 */
final class AdminRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final int BAD_REQUEST = 400;
    static final int NOT_FOUND = 404;
    static final int PAYLOAD_TOO_LARGE = 413;
    static final int UNSUPPORTED_MEDIA_TYPE = 415;

    private final int status;
    private final String field;
    private final transient List<Problem> problems;

    AdminRequestException(int status, String field, String message) {
        this(status, field, message, List.of());
    }

    private AdminRequestException(int status, String field, String message, List<Problem> problems) {
        super(message);
        this.status = status;
        this.field = field;
        this.problems = problems;
    }

    static AdminRequestException badRequest(String field, String message) {
        return new AdminRequestException(BAD_REQUEST, field, message);
    }

    static AdminRequestException notFound(String message) {
        return new AdminRequestException(NOT_FOUND, null, message);
    }

    /** A refusal of the validator: the most specific problem decides status, field and message. */
    static AdminRequestException of(ValidationException e) {
        Problem primary = e.primary();
        return new AdminRequestException(primary.kind().status(), primary.field(), primary.message(), e.problems());
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }

    /** Every problem when there is more than the primary one, else empty. */
    List<Problem> problems() {
        return problems.size() > 1 ? problems : List.of();
    }
}
