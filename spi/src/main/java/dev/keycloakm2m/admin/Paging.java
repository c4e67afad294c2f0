package dev.keycloakm2m.admin;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Auth0's offset paging: {@code page} (0-based), {@code per_page} (1-100, default 50), {@code include_totals}. Without
 * totals a list answers with a JSON array; with totals with {@code {start, limit, total, <items>}}.
 */
record Paging(int page, int perPage, boolean includeTotals) {

    static final int DEFAULT_PER_PAGE = 50;
    static final int MAX_PER_PAGE = 100;

    static Paging parse(String page, String perPage, String includeTotals) {
        int p = number("page", page, 0, 0, Integer.MAX_VALUE);
        int n = number("per_page", perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        boolean totals;
        if (includeTotals == null || includeTotals.isEmpty() || includeTotals.equals("false")) totals = false;
        else if (includeTotals.equals("true")) totals = true;
        else throw AdminRequestException.badRequest("include_totals", "include_totals must be true or false");
        return new Paging(p, n, totals);
    }

    private static int number(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) return fallback;
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            value = Integer.MIN_VALUE;
        }
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE ? "a whole number from " + min : "a whole number from " + min + " to " + max;
            throw AdminRequestException.badRequest(name, name + " must be " + range);
        }
        return value;
    }

    long start() {
        return (long) page * perPage;
    }

    /** This page of {@code all} (already filtered and in listing order), in the response shape. */
    <T> JsonNode render(List<T> all, Function<T, ? extends JsonNode> toJson, String itemsField) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        long from = Math.min(start(), all.size());
        long to = Math.min(from + perPage, all.size());
        for (T item : all.subList((int) from, (int) to)) {
            items.add(toJson.apply(item));
        }
        if (!includeTotals) return items;
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("start", start());
        o.put("limit", perPage);
        o.put("total", all.size());
        o.set(itemsField, items);
        return o;
    }
}
