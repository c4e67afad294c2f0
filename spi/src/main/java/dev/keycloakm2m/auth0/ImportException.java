package dev.keycloakm2m.auth0;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.validation.Text;

/**
 * An import refused before anything is written: every problem with the file, the entity and the field it is about.
 * The admin API answers it with {@link #status()} and {@link #body()}; the transaction is rolled back.
 */
public final class ImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Bodies larger than this are refused; so is a zip whose files add up to more. */
    public static final int MAX_BYTES = 50 * 1024 * 1024;

    /** One problem: {@code file} (or "request body"), the entity (e.g. {@code client grant "a" -> "b"}), the field. */
    public record Issue(String file, String entity, String field, String message) {

        String text() {
            StringBuilder b = new StringBuilder();
            if (file != null) b.append(file).append(": ");
            if (entity != null) b.append(entity).append(": ");
            return b.append(message).toString();
        }
    }

    private final int status;
    private final transient List<Issue> issues;

    public ImportException(int status, List<Issue> issues) {
        super(issues.get(0).text());
        this.status = status;
        this.issues = List.copyOf(issues);
    }

    public static ImportException bad(String file, String entity, String field, String message) {
        return new ImportException(400, List.of(new Issue(file, entity, field, message)));
    }

    public int status() {
        return status;
    }

    public List<Issue> issues() {
        return issues;
    }

    /**
     * Keycloak's admin error shape ({@code errorMessage}, {@code field}) plus {@code file} and {@code entity}, and
     * {@code errors} with every problem.
     */
    public ObjectNode body() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Issue first = issues.get(0);
        o.put("errorMessage", printable(first.text()));
        put(o, first);
        var all = o.putArray("errors");
        for (Issue i : issues) {
            ObjectNode e = all.addObject();
            e.put("errorMessage", printable(i.text()));
            put(e, i);
        }
        return o;
    }

    private static void put(ObjectNode o, Issue i) {
        if (i.file() != null) o.put("file", printable(i.file()));
        if (i.entity() != null) o.put("entity", printable(i.entity()));
        if (i.field() != null) o.put("field", printable(i.field()));
    }

    /** Input may be quoted in messages: control characters and lone surrogates are shown escaped. */
    static String printable(String s) {
        return Text.printable(s);
    }
}
