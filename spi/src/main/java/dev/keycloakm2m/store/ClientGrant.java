package dev.keycloakm2m.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Client {@code clientId} may get tokens for the API {@code audience} with {@code scope} (or all its scopes); with
 * {@code organizationUsage} other than deny, on behalf of an organization associated with the grant (or any, with
 * {@code allowAnyOrganization}).
 */
public record ClientGrant(String id, String clientId, String audience, List<String> scope, boolean allowAllScopes,
                          OrganizationUsage organizationUsage, boolean allowAnyOrganization) {

    public ClientGrant {
        scope = List.copyOf(scope);
        if (organizationUsage == null) organizationUsage = OrganizationUsage.DENY;
    }

    /** A grant without organizations ({@code organization_usage} deny). */
    public ClientGrant(String id, String clientId, String audience, List<String> scope, boolean allowAllScopes) {
        this(id, clientId, audience, scope, allowAllScopes, OrganizationUsage.DENY, false);
    }

    /** Scopes this grant gives today: with allow_all_scopes every scope the API defines now. */
    public Set<String> effectiveScopes(Set<String> apiScopes) {
        if (allowAllScopes) return apiScopes;
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String s : apiScopes) {
            if (scope.contains(s)) out.add(s);
        }
        return out;
    }

    /** The same grant with its scopes in the order the API defines them (any the API lacks last). */
    public ClientGrant inScopeOrderOf(Set<String> apiScopes) {
        List<String> ordered = new ArrayList<>(scope.size());
        for (String s : apiScopes) {
            if (scope.contains(s)) ordered.add(s);
        }
        for (String s : scope) {
            if (!ordered.contains(s)) ordered.add(s);
        }
        return ordered.equals(scope) ? this
                : new ClientGrant(id, clientId, audience, ordered, allowAllScopes, organizationUsage, allowAnyOrganization);
    }

    public ClientGrant withId(String newId) {
        return new ClientGrant(newId, clientId, audience, scope, allowAllScopes, organizationUsage, allowAnyOrganization);
    }
}
