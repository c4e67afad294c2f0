package dev.keycloakm2m.admin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed, strict access to one JSON object of a request body: unknown fields and wrong types are refused with 400
 * naming the field (dotted path, e.g. {@code scopes[2].value}). JSON {@code null} and an absent field both read as
 * {@code null} ("not given"); {@link #has} tells them apart for PATCH. Only the shape is checked here; values are
 * checked by the entity's validator.
 */
final class JsonFields {

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * @param node    the JSON value, which must be an object
     * @param path    where it is in the body ({@code ""} for the body itself), for messages
     * @param allowed the fields this object may have
     */
    static JsonFields of(JsonNode node, String path, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw AdminRequestException.badRequest(path.isEmpty() ? null : path, (path.isEmpty() ? "The body" : path) + " must be a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw AdminRequestException.badRequest(qualify(path, name), "Unknown field: " + qualify(path, name)
                        + " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return new JsonFields(node, path);
    }

    /** Whether the field is present, {@code null} or not. */
    boolean has(String field) {
        return node.has(field);
    }

    String name(String field) {
        return qualify(path, field);
    }

    /** A string field. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw wrongType(field, "a string");
        return v.textValue();
    }

    /** An integer field, as its decimal text (the validator checks the range). */
    String integer(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw wrongType(field, "an integer");
        return v.bigIntegerValue().toString();
    }

    /** A boolean field, as {@code "true"} or {@code "false"}. */
    String bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw wrongType(field, "true or false");
        return String.valueOf(v.booleanValue());
    }

    /** An array of strings (no {@code null} elements). */
    List<String> texts(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(field, "an array of strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw AdminRequestException.badRequest(name(field), name(field) + "[" + i + "] must be a string");
            }
            out.add(e.textValue());
        }
        return out;
    }

    /** An array of objects, each checked with {@link #of} against {@code allowed}. */
    List<JsonFields> objects(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw wrongType(field, "an array of objects");
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(of(v.get(i), name(field) + "[" + i + "]", allowed));
        }
        return out;
    }

    /** A nested object checked against {@code allowed}; {@code null} when absent or {@code null}. */
    JsonFields object(String field, Set<String> allowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw wrongType(field, "a JSON object");
        return of(v, name(field), allowed);
    }

    private AdminRequestException wrongType(String field, String expected) {
        return AdminRequestException.badRequest(name(field), name(field) + " must be " + expected);
    }

    private static String qualify(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
