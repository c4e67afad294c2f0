package dev.keycloakm2m.admin;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a JSON value against an OpenAPI 3.0 schema of our document: {@code $ref}, {@code type}, {@code nullable},
 * {@code enum}, {@code properties}/{@code required}/{@code additionalProperties: false}, {@code items},
 * {@code oneOf}, {@code minimum}/{@code maximum}, {@code format: date-time}. Enough for our document; anything else it meets is an error, so
 * the document cannot silently use what this does not check.
 */
final class OpenApiSchema {

    private static final List<String> KNOWN = List.of("$ref", "type", "nullable", "enum", "properties", "required",
            "additionalProperties", "items", "oneOf", "minimum", "maximum", "minLength", "maxLength", "maxItems", "default",
            "description", "format");

    private final JsonNode document;

    OpenApiSchema(JsonNode document) {
        this.document = document;
    }

    JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) throw new IllegalArgumentException("external $ref " + ref);
            JsonNode target = document.at(ref.substring(1));
            if (target.isMissingNode()) throw new IllegalArgumentException("unresolved $ref " + ref);
            node = target;
        }
        return node;
    }

    List<String> validate(JsonNode value, JsonNode schema, String where) {
        List<String> errors = new ArrayList<>();
        check(value, schema, where, errors);
        return errors;
    }

    private void check(JsonNode value, JsonNode schemaOrRef, String where, List<String> errors) {
        JsonNode schema = resolve(schemaOrRef);
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword)) errors.add(where + ": schema keyword " + keyword + " is not supported by the checker");
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) errors.add(where + ": null but not nullable");
            return;
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            List<String> reasons = new ArrayList<>();
            for (JsonNode option : schema.get("oneOf")) {
                List<String> e = validate(value, option, where);
                if (e.isEmpty()) matches++;
                else reasons.addAll(e);
            }
            if (matches != 1) errors.add(where + ": matches " + matches + " of oneOf " + reasons);
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(where + ": expected an object, got " + value);
                    return;
                }
                JsonNode properties = schema.path("properties");
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) errors.add(where + ": required field " + required.asText() + " missing");
                }
                for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (properties.has(name)) {
                        check(value.get(name), properties.get(name), where + "." + name, errors);
                    } else if (!schema.path("additionalProperties").isBoolean() || schema.get("additionalProperties").asBoolean()) {
                        errors.add(where + ": schema must say additionalProperties: false");
                    } else {
                        errors.add(where + ": undocumented field " + name);
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(where + ": expected an array, got " + value);
                    return;
                }
                for (int i = 0; i < value.size(); i++) check(value.get(i), schema.get("items"), where + "[" + i + "]", errors);
            }
            case "string" -> {
                if (!value.isTextual()) errors.add(where + ": expected a string, got " + value);
                else if (schema.has("format")) checkFormat(value.textValue(), schema.get("format").asText(), where, errors);
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) errors.add(where + ": expected an integer, got " + value);
                else {
                    if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) errors.add(where + ": below minimum");
                    if (schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) errors.add(where + ": above maximum");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) errors.add(where + ": expected a boolean, got " + value);
            }
            default -> errors.add(where + ": schema without a supported type: " + schema);
        }
        if (schema.has("format") && !type.equals("string")) errors.add(where + ": format on a " + type + " is not supported by the checker");
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) listed |= e.equals(value);
            if (!listed) errors.add(where + ": " + value + " is not one of " + schema.get("enum"));
        }
    }

    /** RFC 3339 date-time, the only format the document uses. */
    private static void checkFormat(String value, String format, String where, List<String> errors) {
        if (!format.equals("date-time")) {
            errors.add(where + ": format " + format + " is not supported by the checker");
            return;
        }
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(where + ": " + value + " is not a date-time");
        }
    }
}
