package dev.keycloakm2m.auth0;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Deploy CLI's keyword replacement, on a file's text before it is parsed: {@code @@KEY@@} (also quoted) becomes
 * the value as JSON (arrays, objects, numbers), {@code ##KEY##} becomes the value as text. A placeholder left over
 * is an error naming it.
 */
final class Keywords {

    private static final Pattern LEFT_OVER = Pattern.compile("##([A-Za-z0-9_.-]+)##|@@([A-Za-z0-9_.-]+)@@");

    private Keywords() {
    }

    static String replace(String text, Map<String, JsonNode> keywords, String file) {
        String out = text;
        for (Map.Entry<String, JsonNode> e : keywords.entrySet()) {
            String key = Pattern.quote(e.getKey());
            String json = e.getValue().toString();
            out = Pattern.compile("'@@" + key + "@@'|\"@@" + key + "@@\"|@@" + key + "@@").matcher(out)
                    .replaceAll(Matcher.quoteReplacement(json));
            String plain = e.getValue().isTextual() ? e.getValue().textValue() : json;
            out = Pattern.compile("##" + key + "##").matcher(out).replaceAll(Matcher.quoteReplacement(plain));
        }
        Matcher left = LEFT_OVER.matcher(out);
        if (left.find()) {
            int line = 1;
            for (int i = 0; i < left.start(); i++) {
                if (out.charAt(i) == '\n') line++;
            }
            String name = left.group(1) != null ? left.group(1) : left.group(2);
            throw ImportException.bad(file, null, null, "keyword " + left.group() + " (line " + line + ") has no value: pass it in "
                    + "keywords, e.g. keywords={\"" + name + "\":\"...\"}");
        }
        return out;
    }
}
