package dev.keycloakm2m.grant;

import dev.keycloakm2m.store.ClientGrant;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.OrganizationUsage;
import dev.keycloakm2m.store.RealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/**
 * The one validation routine for client grants (admin REST, console, realm import). Returns the normalized grant
 * (scopes deduplicated, in the API's order) or throws with every problem found.
 */
public final class ClientGrantValidator {

    public static final String CLIENT_NOT_FOUND = "Client not found";
    public static final String API_NOT_FOUND = "Resource server not found";

    private ClientGrantValidator() {
    }

    /**
     * @param draft          the grant as received, every field present (PATCH merges before calling)
     * @param existing the stored grant when this is an update, else {@code null}
     */
    public static ClientGrant validate(ClientGrantDraft draft, ClientGrant existing, RealmView realm) {
        Text.controlCheck().text("id", draft.id()).text("client_id", draft.clientId()).text("audience", draft.audience())
                .texts("scope", draft.scope()).text("allow_all_scopes", draft.allowAllScopes())
                .text("organization_usage", draft.organizationUsage()).text("allow_any_organization", draft.allowAnyOrganization())
                .refuse();
        List<Problem> problems = new ArrayList<>();

        String clientId = draft.clientId();
        if (clientId == null || clientId.isEmpty()) {
            problems.add(Problem.invalid("client_id", "client_id is required"));
        } else if (existing != null && !existing.clientId().equals(clientId)) {
            problems.add(Problem.invalid("client_id", "client_id cannot be changed; delete the grant and create another"));
        } else {
            Optional<ClientInfo> client = realm.client(clientId);
            if (client.isEmpty()) {
                problems.add(Problem.notFound("client_id", CLIENT_NOT_FOUND));
            } else if (!client.get().confidential()) {
                problems.add(Problem.invalid("client_id", "Client " + Text.quote(clientId)
                        + " is not a confidential client: only confidential clients can use client credentials"));
            } else if (!client.get().serviceAccountsEnabled()) {
                problems.add(Problem.invalid("client_id", "Client " + Text.quote(clientId)
                        + " does not have service accounts enabled (Client authentication and Service accounts roles must be on)"));
            }
        }

        String audience = draft.audience();
        ResourceServer api = null;
        if (audience == null || audience.isEmpty()) {
            problems.add(Problem.invalid("audience", "audience is required"));
        } else if (existing != null && !existing.audience().equals(audience)) {
            problems.add(Problem.invalid("audience", "audience cannot be changed; delete the grant and create another"));
        } else {
            api = realm.apiByIdentifier(audience).orElse(null);
            if (api == null && !realm.lenientReferences()) {
                problems.add(Problem.notFound("audience", API_NOT_FOUND));
            }
        }

        boolean allowAll = false;
        if (draft.allowAllScopes() != null && !draft.allowAllScopes().isBlank()) {
            String raw = draft.allowAllScopes().trim();
            if (raw.equals("true")) allowAll = true;
            else if (!raw.equals("false")) problems.add(Problem.invalid("allow_all_scopes", "allow_all_scopes must be true or false"));
        }

        OrganizationUsage organizationUsage = OrganizationUsage.DENY;
        if (draft.organizationUsage() != null && !draft.organizationUsage().isBlank()) {
            organizationUsage = OrganizationUsage.fromWire(draft.organizationUsage().trim()).orElse(null);
            if (organizationUsage == null) {
                problems.add(Problem.invalid("organization_usage", "organization_usage must be one of: " + OrganizationUsage.allowed()));
            }
        }
        boolean allowAnyOrganization = false;
        if (draft.allowAnyOrganization() != null && !draft.allowAnyOrganization().isBlank()) {
            String raw = draft.allowAnyOrganization().trim();
            if (raw.equals("true")) allowAnyOrganization = true;
            else if (!raw.equals("false")) problems.add(Problem.invalid("allow_any_organization", "allow_any_organization must be true or false"));
        }

        Set<String> requested = new LinkedHashSet<>();
        for (String s : draft.scope() == null ? List.<String>of() : draft.scope()) {
            if (s == null || s.isEmpty()) {
                problems.add(Problem.invalid("scope", "scope values must not be empty"));
            } else {
                requested.add(s);
            }
        }
        List<String> scope = new ArrayList<>(requested);
        final ResourceServer target = api;
        if (target != null) {
            List<String> unknown = requested.stream().filter(s -> !target.hasScope(s)).toList();
            if (!unknown.isEmpty()) {
                problems.add(Problem.invalid("scope", "scope must be a subset of the resource server's scopes; "
                        + Text.quote(audience) + " does not define: " + String.join(" ", unknown)));
            }
            scope = target.scopeValues().stream().filter(requested::contains).toList();
        }

        if (clientId != null && audience != null && problems.isEmpty()) {
            realm.grant(clientId, audience)
                    .filter(other -> existing == null || !other.id().equals(existing.id()))
                    .filter(other -> draft.id() == null || !other.id().equals(draft.id()))
                    .ifPresent(other -> problems.add(Problem.conflict("client_id",
                            "A client grant already exists between " + clientId + " and " + audience)));
        }

        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        String id = existing != null ? existing.id() : draft.id();
        return new ClientGrant(id, clientId, audience, scope, allowAll, organizationUsage, allowAnyOrganization);
    }
}
