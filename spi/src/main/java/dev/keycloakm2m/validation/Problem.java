package dev.keycloakm2m.validation;

/**
 * One reason a write is refused: which field, what is wrong, and what kind of refusal it is (so the REST API can
 * answer 400, 404 or 409 while the console and realm import show the same message).
 */
public record Problem(Kind kind, String field, String message) {

    public enum Kind {
        /** 400: the value itself is wrong. */
        INVALID(400),
        /** 404: it names something that does not exist (a client, an API). */
        NOT_FOUND(404),
        /** 409: it would duplicate something that exists. */
        CONFLICT(409);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public static Problem invalid(String field, String message) {
        return new Problem(Kind.INVALID, field, message);
    }

    public static Problem notFound(String field, String message) {
        return new Problem(Kind.NOT_FOUND, field, message);
    }

    public static Problem conflict(String field, String message) {
        return new Problem(Kind.CONFLICT, field, message);
    }
}
