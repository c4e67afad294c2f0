package dev.keycloakm2m.token;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which scopes a token for an API carries: all granted scopes when none are requested, exactly the requested ones
 * when they are all granted (real downscoping), otherwise a refusal naming each scope not granted, once.
 */
public record ScopeDecision(List<String> issued, List<String> notGranted) {

    public boolean refused() {
        return !notGranted.isEmpty();
    }

    /**
     * @param scopeParam the raw {@code scope} parameter (space separated), may be {@code null}
     * @param granted    the scopes the client's grant gives today, in the API's order
     */
    public static ScopeDecision decide(String scopeParam, Set<String> granted) {
        Set<String> requested = parse(scopeParam);
        if (requested.isEmpty()) {
            return new ScopeDecision(List.copyOf(granted), List.of());
        }
        List<String> missing = new ArrayList<>();
        for (String s : requested) {
            if (!granted.contains(s)) missing.add(s);
        }
        if (!missing.isEmpty()) {
            return new ScopeDecision(List.of(), missing);
        }
        List<String> issued = granted.stream().filter(requested::contains).toList();
        return new ScopeDecision(issued, List.of());
    }

    /** RFC 6749 section 3.3: space-delimited, case-sensitive; duplicates ignored, request order kept. */
    static Set<String> parse(String scopeParam) {
        Set<String> out = new LinkedHashSet<>();
        if (scopeParam == null) return out;
        for (String s : scopeParam.split(" ")) {
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
