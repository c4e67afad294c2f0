package dev.keycloakm2m.legacy;

import java.util.List;
import java.util.Set;

import org.keycloak.component.ComponentModel;

import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientPolicy;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenDialect;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.ValidationException;

/** An API stored as a realm component (provider {@value Components#API_PROVIDER_ID}). */
public final class ApiComponent {

    public static final String NAME = "name";
    public static final String IDENTIFIER = "identifier";
    public static final String SCOPES = "scopes";
    public static final String TOKEN_LIFETIME = "token_lifetime";
    public static final String SIGNING_ALG = "signing_alg";
    public static final String TOKEN_DIALECT = "token_dialect";
    public static final String CLIENT_POLICY = "client_policy";
    /** Derived, for the console list: how many scopes the API defines. */
    public static final String SCOPE_COUNT = "scope_count";

    static final Set<String> KEYS = Set.of(NAME, IDENTIFIER, SCOPES, TOKEN_LIFETIME, SIGNING_ALG, TOKEN_DIALECT, CLIENT_POLICY, SCOPE_COUNT);

    private ApiComponent() {
    }

    public static boolean is(ComponentModel model) {
        return Components.PAGE_TYPE.equals(model.getProviderType()) && Components.API_PROVIDER_ID.equals(model.getProviderId());
    }

    /** The draft a component write carries. */
    public static ResourceServerDraft draft(ComponentModel model) {
        List<ApiScope> scopes;
        try {
            scopes = ScopesCodec.decode(Components.first(model, SCOPES));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(Problem.invalid("scopes", e.getMessage()));
        }
        return new ResourceServerDraft(model.getId(), Components.first(model, NAME), Components.first(model, IDENTIFIER), scopes,
                Components.first(model, TOKEN_LIFETIME), Components.first(model, SIGNING_ALG),
                Components.first(model, TOKEN_DIALECT), Components.first(model, CLIENT_POLICY));
    }

    /** Writes the normalized API into the component (name, config), dropping keys that are not ours. */
    public static void write(ResourceServer api, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.setName(Components.componentName(api.name()));
        Components.put(model, NAME, api.name());
        Components.put(model, IDENTIFIER, api.identifier());
        Components.put(model, SCOPES, ScopesCodec.encode(api.scopes()));
        Components.put(model, SCOPE_COUNT, String.valueOf(api.scopes().size()));
        Components.put(model, TOKEN_LIFETIME, String.valueOf(api.tokenLifetime()));
        Components.put(model, SIGNING_ALG, api.signingAlg());
        Components.put(model, TOKEN_DIALECT, api.tokenDialect().wire());
        Components.put(model, CLIENT_POLICY, api.clientPolicy().wire());
    }

    /**
     * Writes a draft as received (before validation) into the component, the way the console's form would: the
     * component write then runs {@link #draft(ComponentModel)} and the validator like for any other write path.
     */
    public static void writeDraft(ResourceServerDraft draft, ComponentModel model) {
        Components.retainKeys(model, KEYS);
        model.getConfig().remove(SCOPE_COUNT);
        model.setName(Components.componentName(draft.name()));
        Components.put(model, NAME, draft.name());
        Components.put(model, IDENTIFIER, draft.identifier());
        Components.put(model, SCOPES, draft.scopes() == null ? null : ScopesCodec.encode(draft.scopes()));
        Components.put(model, TOKEN_LIFETIME, draft.tokenLifetime());
        Components.put(model, SIGNING_ALG, draft.signingAlg());
        Components.put(model, TOKEN_DIALECT, draft.tokenDialect());
        Components.put(model, CLIENT_POLICY, draft.clientPolicy());
    }

    public static ComponentModel newModel(String realmId) {
        ComponentModel model = new ComponentModel();
        model.setParentId(realmId);
        model.setProviderType(Components.PAGE_TYPE);
        model.setProviderId(Components.API_PROVIDER_ID);
        model.setConfig(new org.keycloak.common.util.MultivaluedHashMap<>());
        return model;
    }

    /** Reads a stored (validated) API; lenient about defaults. {@code null} when the component is unusable. */
    public static ResourceServer read(ComponentModel model) {
        String identifier = Components.first(model, IDENTIFIER);
        if (identifier == null || identifier.isEmpty()) return null;
        List<ApiScope> scopes;
        try {
            scopes = ScopesCodec.decode(Components.first(model, SCOPES));
        } catch (IllegalArgumentException e) {
            return null;
        }
        int lifetime;
        try {
            lifetime = Integer.parseInt(Components.first(model, TOKEN_LIFETIME));
        } catch (RuntimeException e) {
            lifetime = ResourceServer.DEFAULT_TOKEN_LIFETIME;
        }
        String alg = Components.first(model, SIGNING_ALG);
        return new ResourceServer(model.getId(), Components.first(model, NAME), identifier, scopes, lifetime,
                alg == null || alg.isBlank() ? ResourceServer.DEFAULT_SIGNING_ALG : alg,
                TokenDialect.fromWire(Components.first(model, TOKEN_DIALECT)).orElse(TokenDialect.ACCESS_TOKEN),
                ClientPolicy.fromWire(Components.first(model, CLIENT_POLICY)).orElse(ClientPolicy.REQUIRE_CLIENT_GRANT));
    }
}
