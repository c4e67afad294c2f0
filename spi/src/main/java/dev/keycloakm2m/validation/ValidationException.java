package dev.keycloakm2m.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A refused write with every problem found; the first problem decides the HTTP status. */
public final class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ValidationException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = List.copyOf(problems);
    }

    public ValidationException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The most specific status: 404 before 409 before 400, as Auth0's Management API answers. */
    public Problem primary() {
        return problems.stream().filter(p -> p.kind() == Problem.Kind.NOT_FOUND).findFirst()
                .or(() -> problems.stream().filter(p -> p.kind() == Problem.Kind.CONFLICT).findFirst())
                .orElse(problems.get(0));
    }
}
