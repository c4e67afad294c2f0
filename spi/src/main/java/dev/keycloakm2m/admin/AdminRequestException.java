package dev.keycloakm2m.admin;

import java.util.List;
import java.util.Map;

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
        return of(e, Map.of());
    }

    /**
     * A refusal of the validator, with its field names translated to this request's body: the console stores some
     * fields under other names (e.g. {@code default_per_hour} for
     * {@code default_token_quota.clients.client_credentials.per_hour}). A message that starts with the field name
     * names the body field instead.
     */
    static AdminRequestException of(ValidationException e, Map<String, String> bodyFields) {
        Problem primary = renamed(e.primary(), bodyFields);
        List<Problem> all = e.problems().stream().map(p -> renamed(p, bodyFields)).toList();
        return new AdminRequestException(primary.kind().status(), primary.field(), primary.message(), all);
    }

    private static Problem renamed(Problem p, Map<String, String> bodyFields) {
        String field = p.field() == null ? null : bodyFields.get(p.field());
        if (field == null) return p;
        String message = p.message().startsWith(p.field() + " ") ? field + p.message().substring(p.field().length()) : p.message();
        return new Problem(p.kind(), field, message);
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
