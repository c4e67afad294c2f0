package dev.keycloakm2m.grant;

import java.util.List;

/** A client grant as a write path received it, before validation ({@code null} = not given). */
public record ClientGrantDraft(String id, String clientId, String audience, List<String> scope, String allowAllScopes,
                               String organizationUsage, String allowAnyOrganization) {

    /** A draft that names no organization fields (they get their defaults: deny, false). */
    public ClientGrantDraft(String id, String clientId, String audience, List<String> scope, String allowAllScopes) {
        this(id, clientId, audience, scope, allowAllScopes, null, null);
    }
}
