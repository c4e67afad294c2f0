package dev.keycloakm2m.store;

import java.util.List;

import org.keycloak.component.ComponentValidationException;

import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

/**
 * A refused component write, as Keycloak's component endpoint (the console) expects it: a
 * {@link ComponentValidationException}, answered with 400 and shown as an alert. It carries our problems so that
 * the admin REST API can answer 404/409 as well.
 */
public final class M2mComponentValidationException extends ComponentValidationException {

    private static final long serialVersionUID = 1L;

    private final transient ValidationException cause;

    public M2mComponentValidationException(ValidationException cause) {
        // Keycloak formats getMessage() with MessageFormat: pass our text as a parameter so quotes and braces in
        // user input survive unchanged.
        super("{0}", cause.getMessage());
        this.cause = cause;
    }

    public ValidationException validation() {
        return cause;
    }

    public List<Problem> problems() {
        return cause.problems();
    }

    @Override
    public String getLocalizedMessage() {
        return cause.getMessage();
    }
}
