package dev.keycloakm2m.auth0;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed reads of one Auth0 object of the input: a value of the wrong type is refused at once (400 naming file,
 * entity and field); fields we neither import nor ignore on purpose are reported as unsupported.
 */
final class Fields {

    private final TenantInput.Entry entry;
    private final ObjectNode node;
    private final String path;
    private String entity;

    Fields(TenantInput.Entry entry, String entity) {
        this(entry, entry.node(), entry.path(), entity);
    }

    private Fields(TenantInput.Entry entry, ObjectNode node, String path, String entity) {
        this.entry = entry;
        this.node = node;
        this.path = path;
        this.entity = entity;
    }

    void entity(String label) {
        this.entity = label;
    }

    String entity() {
        return entity;
    }

    String file() {
        return entry.file();
    }

    String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrong(field, "a string");
        return v.textValue();
    }

    /** An integer, as decimal text (the entity's validator checks the range). */
    String integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw wrong(field, "a whole number");
        return v.bigIntegerValue().toString();
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw wrong(field, "true or false");
        return v.booleanValue();
    }

    List<String> texts(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrong(field, "a list of strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw wrong(field + "[" + i + "]", "a string");
            out.add(v.get(i).textValue());
        }
        return out;
    }

    List<Fields> objects(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrong(field, "a list of objects");
        List<Fields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isObject()) throw wrong(field + "[" + i + "]", "an object");
            out.add(new Fields(entry, (ObjectNode) e, name(field + "[" + i + "]"), entity));
        }
        return out;
    }

    Fields object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw wrong(field, "an object");
        return new Fields(entry, (ObjectNode) v, name(field), entity);
    }

    /** Reports every field of this object outside {@code supported} (each with its note, if any). */
    void unsupported(Set<String> supported, TenantInput input) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!supported.contains(f)) input.unsupported.add(new TenantInput.Unsupported(entry.file(), entity, name(f), null));
        }
    }

    void unsupported(String field, String note, TenantInput input) {
        input.unsupported.add(new TenantInput.Unsupported(entry.file(), entity, name(field), note));
    }

    ImportException.Issue issue(String field, String message) {
        return new ImportException.Issue(entry.file(), entity, field == null ? (path.isEmpty() ? null : path) : name(field), message);
    }

    ImportException error(String field, String message) {
        return new ImportException(400, List.of(issue(field, message)));
    }

    private ImportException wrong(String field, String expected) {
        return error(field, name(field) + " must be " + expected);
    }
}
