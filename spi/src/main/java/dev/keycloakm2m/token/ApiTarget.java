package dev.keycloakm2m.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Which API a client_credentials request names, from its {@code audience} / {@code resource} parameters and the
 * realm's default audience. Pure: no Keycloak types.
 */
public record ApiTarget(Kind kind, String identifier, Source source, String problem) {

    public enum Kind { NONE, API, ERROR }

    public enum Source { AUDIENCE, RESOURCE, DEFAULT_AUDIENCE }

    /** Why the request is refused, before any API lookup. */
    public enum Problem {
        /** More than one audience or resource value. */
        MULTIPLE_TARGETS,
        /** audience and resource both given and different. */
        CONFLICTING_TARGETS,
        /** resource is not an absolute URI without fragment (RFC 8707). */
        INVALID_RESOURCE
    }

    static final ApiTarget NONE = new ApiTarget(Kind.NONE, null, null, null);

    public static ApiTarget resolve(List<String> audience, List<String> resource, String defaultAudience) {
        List<String> auds = nonEmpty(audience);
        List<String> ress = nonEmpty(resource);
        if (auds.size() > 1 || ress.size() > 1) {
            return error(Problem.MULTIPLE_TARGETS);
        }
        String aud = auds.isEmpty() ? null : auds.get(0);
        String res = ress.isEmpty() ? null : ress.get(0);
        if (aud != null && res != null && !aud.equals(res)) {
            return error(Problem.CONFLICTING_TARGETS);
        }
        if (res != null && !isResourceIndicator(res)) {
            return error(Problem.INVALID_RESOURCE);
        }
        if (aud != null) return new ApiTarget(Kind.API, aud, Source.AUDIENCE, null);
        if (res != null) return new ApiTarget(Kind.API, res, Source.RESOURCE, null);
        if (defaultAudience != null && !defaultAudience.isEmpty()) {
            return new ApiTarget(Kind.API, defaultAudience, Source.DEFAULT_AUDIENCE, null);
        }
        return NONE;
    }

    /** RFC 8707 section 2: an absolute URI, no fragment. */
    public static boolean isResourceIndicator(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getRawFragment() == null && value.indexOf('#') < 0;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    public Problem error() {
        return problem == null ? null : Problem.valueOf(problem);
    }

    private static ApiTarget error(Problem p) {
        return new ApiTarget(Kind.ERROR, null, null, p.name());
    }

    private static List<String> nonEmpty(List<String> values) {
        if (values == null) return List.of();
        return values.stream().filter(v -> v != null && !v.isEmpty()).toList();
    }
}
