package dev.keycloakm2m.auth0;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.grant.ClientGrantDraft;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.quota.ClientQuotaDraft;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.settings.M2mSettingsDraft;
import dev.keycloakm2m.settings.M2mSettingsValidator;
import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.OrganizationQuota;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.RealmIndexCache;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.SessionRealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;

/**
 * Maps an Auth0 tenant ({@link TenantInput}) onto a realm: resource servers to APIs, {@code non_interactive} clients
 * to confidential clients with service accounts, client grants to grants, token quotas to quotas, the tenant's
 * default client quota to the realm default. First a plan: every entity checked by its one validator against the
 * realm plus everything planned before it, each with the action it needs; then, unless a dry run, the plan is written
 * in the request's one transaction (all or nothing). Any problem refuses the whole import before anything is written.
 */
public final class Auth0Importer {

    private static final Logger LOG = Logger.getLogger(Auth0Importer.class);

    static final String CREATE = "create";
    static final String UPDATE = "update";
    static final String UNCHANGED = "unchanged";
    static final String SKIPPED = "skipped";

    /** The Auth0 Management API ({@code https://<tenant>/api/v2/}): never exported by the Deploy CLI, never imported. */
    private static final Pattern MANAGEMENT_API = Pattern.compile("https://[^/]+/api/v2/?");
    private static final int MAX_ISSUES = 100;

    private static final Set<String> API_FIELDS = Set.of("id", "name", "identifier", "scopes", "token_lifetime", "signing_alg",
            "token_dialect", "subject_type_authorization", "is_system");
    private static final Set<String> SCOPE_FIELDS = Set.of("value", "description");
    private static final Set<String> CLIENT_FIELDS = Set.of("name", "client_id", "app_type", "description", "token_quota");
    private static final Set<String> GRANT_FIELDS = Set.of("id", "client_id", "audience", "scope", "allow_all_scopes", "subject_type",
            "organization_usage", "allow_any_organization");
    private static final Set<String> QUOTA_FIELDS = Set.of("client_credentials");
    private static final Set<String> LIMIT_FIELDS = Set.of("per_hour", "per_day", "enforce");
    private static final Set<String> ORGANIZATION_FIELDS = Set.of("name", "client_grants", "token_quota");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ImportOptions options;
    private final PlanView view;
    private final TenantInput input;
    private final List<ImportException.Issue> issues = new ArrayList<>();

    private final List<ApiStep> apis = new ArrayList<>();
    private final List<ClientStep> clients = new ArrayList<>();
    private final List<GrantStep> grants = new ArrayList<>();
    private TenantStep tenant;
    private final List<OrgStep> organizations = new ArrayList<>();
    /** The planned clients by Auth0 name and by Auth0 client id, for the references of grants and organizations. */
    private final Map<String, ClientStep> clientsByName = new HashMap<>();
    private final Map<String, ClientStep> clientsByAuth0Id = new HashMap<>();

    private record ApiStep(TenantInput.Entry entry, String key, String action, String reason, ResourceServer api) {
    }

    private record ClientStep(TenantInput.Entry entry, String key, String clientId, String action, String reason, boolean create,
                              String name, String description, ClientQuota quota, String quotaAction) {
    }

    private record GrantStep(TenantInput.Entry entry, String key, String clientId, String audience, String action, String reason,
                             ClientGrant grant) {
    }

    /**
     * An organization of the input, mapped to the Keycloak organization whose alias is its {@code name}: the grants to
     * associate (new ones only; the import never removes an association) and its token quota.
     */
    private record OrgStep(TenantInput.Entry entry, String key, String action, String reason, Organizations.Organization org,
                           List<ClientGrant> associate, int associations, OrganizationQuota quota, String quotaAction) {
    }

    private record TenantStep(TenantInput.Entry entry, String action, M2mSettings settings) {
    }

    private Auth0Importer(KeycloakSession session, RealmModel realm, ImportOptions options, TenantInput input) {
        this.session = session;
        this.realm = realm;
        this.options = options;
        this.input = input;
        this.view = new PlanView(SessionRealmView.of(session, realm));
    }

    /**
     * Reads, plans and (unless {@code dry_run}) applies an import in the caller's transaction; returns the plan as the
     * response body (with the secrets of the clients it created).
     *
     * @throws ImportException when the input is refused; nothing has been written then
     */
    public static ObjectNode run(KeycloakSession session, RealmModel realm, TenantReader.Format format, byte[] body, ImportOptions options) {
        long start = System.nanoTime();
        TenantInput input = TenantReader.read(format, body, options);
        Auth0Importer importer = new Auth0Importer(session, realm, options, input);
        importer.plan();
        long planned = System.nanoTime();
        Map<String, String> secrets = options.dryRun() ? Map.of() : importer.apply();
        ObjectNode result = importer.render(secrets);
        LOG.infof("Realm %s: Auth0 import (%s%s): %d resource servers, %d clients, %d client grants in %d ms (read and plan %d ms)",
                realm.getName(), format, options.dryRun() ? ", dry run" : "", importer.apis.size(), importer.clients.size(),
                importer.grants.size(), (System.nanoTime() - start) / 1_000_000, (planned - start) / 1_000_000);
        return result;
    }

    // ---- plan

    private void plan() {
        planApis();
        planClients();
        indexClients();
        planGrants();
        planTenant();
        planOrganizations();
        if (!issues.isEmpty()) {
            throw new ImportException(400, issues.size() > MAX_ISSUES ? issues.subList(0, MAX_ISSUES) : issues);
        }
    }

    private void planApis() {
        Map<String, TenantInput.Entry> seen = new HashMap<>();
        for (TenantInput.Entry e : input.resourceServers) {
            Fields f = new Fields(e, "resource server");
            String identifier = f.text("identifier");
            String name = f.text("name");
            f.entity("resource server " + Text.quote(identifier != null ? identifier : name));
            if (identifier == null || identifier.isEmpty()) {
                issues.add(f.issue("identifier", "identifier is required"));
                continue;
            }
            if (Boolean.TRUE.equals(f.bool("is_system")) || MANAGEMENT_API.matcher(identifier).matches()) {
                apis.add(new ApiStep(e, identifier, SKIPPED, MANAGEMENT_API.matcher(identifier).matches()
                        ? "the Auth0 Management API is not imported" : "Auth0 system APIs are not imported", null));
                continue;
            }
            TenantInput.Entry first = seen.putIfAbsent(identifier, e);
            if (first != null) {
                issues.add(f.issue("identifier", "duplicate identifier: also at " + where(first)));
                continue;
            }
            f.unsupported(API_FIELDS, input);
            ResourceServer existing = view.apiByIdentifier(identifier).orElse(null);
            List<ApiScope> scopes = null;
            List<Fields> scopeEntries = f.objects("scopes");
            if (scopeEntries != null) {
                scopes = new ArrayList<>();
                for (Fields s : scopeEntries) {
                    s.unsupported(SCOPE_FIELDS, input);
                    scopes.add(new ApiScope(s.text("value"), s.text("description")));
                }
            }
            String alg = f.text("signing_alg");
            if ("HS256".equals(alg)) {
                f.unsupported("signing_alg", "HS256 (a shared secret) is not supported: imported with RS256, so the API must"
                        + " verify tokens with the realm's public keys (JWKS)", input);
                alg = existing != null ? existing.signingAlg() : ResourceServer.DEFAULT_SIGNING_ALG;
            }
            String policy = null;
            Fields authorization = f.object("subject_type_authorization");
            if (authorization != null) {
                authorization.unsupported(Set.of("client"), input);
                Fields client = authorization.object("client");
                if (client != null) {
                    client.unsupported(Set.of("policy"), input);
                    policy = client.text("policy");
                }
            }
            String lifetime = f.integer("token_lifetime");
            String dialect = f.text("token_dialect");
            if (existing != null) {
                // like the Deploy CLI's update: a field the file does not name keeps its value
                if (name == null) name = existing.name();
                if (scopes == null) scopes = existing.scopes();
                if (lifetime == null) lifetime = String.valueOf(existing.tokenLifetime());
                if (alg == null) alg = existing.signingAlg();
                if (dialect == null) dialect = existing.tokenDialect().wire();
                if (policy == null) policy = existing.clientPolicy().wire();
            }
            String id = existing != null ? existing.id() : KeycloakModelUtils.generateId();
            ResourceServer valid;
            try {
                valid = ResourceServerValidator.validate(new ResourceServerDraft(id, name, identifier, scopes, lifetime, alg,
                        dialect, policy), existing, view);
            } catch (ValidationException ex) {
                problems(f, ex, Map.of("client_policy", "subject_type_authorization.client.policy"));
                continue;
            }
            String action = existing == null ? CREATE : valid.equals(existing) ? UNCHANGED : UPDATE;
            view.base().putApi(valid);
            apis.add(new ApiStep(e, identifier, action, null, valid));
        }
    }

    private void planClients() {
        Map<String, TenantInput.Entry> names = new HashMap<>();
        Map<String, TenantInput.Entry> clientIds = new HashMap<>();
        for (TenantInput.Entry e : input.clients) {
            Fields f = new Fields(e, "client");
            String name = f.text("name");
            String auth0Id = f.text("client_id");
            String appType = f.text("app_type");
            f.entity("client " + Text.quote(name != null ? name : auth0Id));
            if (name == null || name.isEmpty()) {
                issues.add(f.issue("name", "name is required"));
                continue;
            }
            TenantInput.Entry first = names.putIfAbsent(name, e);
            if (first != null) {
                issues.add(f.issue("name", "duplicate client name: also at " + where(first)));
                continue;
            }
            if (!"non_interactive".equals(appType)) {
                clients.add(new ClientStep(e, name, null, SKIPPED, "app_type " + (appType == null ? "missing" : Text.quote(appType))
                        + ": only machine-to-machine applications (non_interactive) are imported", false, name, null, null, null));
                continue;
            }
            String clientId = mapped(name, auth0Id);
            if (clientId == null) clientId = options.keepClientIds() && auth0Id != null && !auth0Id.isEmpty() ? auth0Id : name;
            TenantInput.Entry other = clientIds.putIfAbsent(clientId, e);
            if (other != null) {
                issues.add(f.issue("name", "two clients of the import would be Keycloak client " + Text.quote(clientId)
                        + ": also at " + where(other)));
                continue;
            }
            f.unsupported(CLIENT_FIELDS, input);
            String description = f.text("description");
            ClientInfo existing = view.client(clientId).orElse(null);
            boolean create = false;
            if (existing == null) {
                if (!options.createMissingClients()) {
                    clients.add(new ClientStep(e, name, clientId, SKIPPED, "the realm has no client " + Text.quote(clientId)
                            + " (pass create_missing_clients=true to create it, or client_map to use another client)", false,
                            name, null, null, null));
                    continue;
                }
                if (Text.hasControlOrBroken(clientId) || Text.length(clientId) > 255 || clientId.isBlank()) {
                    issues.add(f.issue(options.keepClientIds() && clientId.equals(auth0Id) ? "client_id" : "name",
                            "cannot be a Keycloak Client ID (1 to 255 characters, no control characters): " + Text.quote(clientId)));
                    continue;
                }
                if (Text.hasControlOrBroken(name) || Text.length(name) > 255) {
                    issues.add(f.issue("name", "cannot be the name of a Keycloak client (at most 255 characters, no control characters)"));
                    continue;
                }
                if (description != null && (Text.hasControlOrBroken(description) || Text.length(description) > 255)) {
                    issues.add(f.issue("description", "description must be at most 255 characters without control characters"));
                    continue;
                }
                create = true;
                view.planClient(clientId);
            }
            ClientQuota quota = null;
            String quotaAction = null;
            int issuesBefore = issues.size();
            Fields cc = quotaLimits(f);
            if (issues.size() > issuesBefore) continue;
            if (cc != null) {
                Boolean enforce = cc.bool("enforce");
                ClientQuota stored = view.quota(clientId).orElse(null);
                try {
                    quota = TokenQuotaValidator.validate(new ClientQuotaDraft(stored != null ? stored.id() : KeycloakModelUtils.generateId(),
                            clientId, cc.integer("per_hour"), cc.integer("per_day"), enforce == null ? null : enforce.toString()), stored, view);
                } catch (ValidationException ex) {
                    problems(cc, ex, Map.of("client_id", "name"));
                    continue;
                }
                quotaAction = stored == null ? CREATE : stored.quota().equals(quota.quota()) ? UNCHANGED : UPDATE;
                view.base().putQuota(quota);
            }
            String action = create ? CREATE : quotaAction == null || quotaAction.equals(UNCHANGED) ? UNCHANGED : UPDATE;
            clients.add(new ClientStep(e, name, clientId, action, null, create, name, description, quota, quotaAction));
        }
    }

    /**
     * A client's or an organization's {@code token_quota.client_credentials} (its unsupported fields listed), or
     * {@code null} when there is no {@code token_quota}; a {@code token_quota} without {@code client_credentials} is
     * recorded as an issue (and {@code null} returned).
     */
    private Fields quotaLimits(Fields f) {
        Fields tq = f.object("token_quota");
        if (tq == null) return null;
        tq.unsupported(QUOTA_FIELDS, input);
        Fields cc = tq.object("client_credentials");
        if (cc == null) {
            issues.add(tq.issue("client_credentials", "token_quota needs client_credentials"));
            return null;
        }
        cc.unsupported(LIMIT_FIELDS, input);
        return cc;
    }

    /** {@code client_map}: by the Auth0 name, then by the Auth0 client id. */
    private String mapped(String name, String auth0Id) {
        String m = name == null ? null : options.clientMap().get(name);
        if (m == null && auth0Id != null) m = options.clientMap().get(auth0Id);
        return m;
    }

    private void planGrants() {
        Map<String, ApiStep> apiSteps = new HashMap<>();
        for (ApiStep a : apis) apiSteps.put(a.key(), a);
        Map<String, TenantInput.Entry> seen = new HashMap<>();
        for (TenantInput.Entry e : input.grants) {
            Fields f = new Fields(e, "client grant");
            String ref = f.text("client_id");
            String audience = f.text("audience");
            String key = (ref == null ? "(no client_id)" : ref) + " -> " + (audience == null ? "(no audience)" : audience);
            f.entity("client grant " + Text.quote(ref) + " -> " + Text.quote(audience));
            List<String> scope = f.texts("scope");
            Boolean allowAll = f.bool("allow_all_scopes");
            String organizationUsage = f.text("organization_usage");
            Boolean allowAnyOrganization = f.bool("allow_any_organization");
            String subjectType = f.text("subject_type");
            if (Boolean.TRUE.equals(f.bool("is_system"))) {
                grants.add(new GrantStep(e, key, null, audience, SKIPPED, "Auth0 system grants are not imported", null));
                continue;
            }
            if (ref == null && f.has("default_for")) {
                grants.add(new GrantStep(e, key, null, audience, SKIPPED, "default grants for third-party clients (default_for) are not supported", null));
                continue;
            }
            if (subjectType != null && !subjectType.equals("client")) {
                grants.add(new GrantStep(e, key, null, audience, SKIPPED, "subject_type " + Text.quote(subjectType)
                        + ": only machine-to-machine grants (subject_type client) are imported", null));
                continue;
            }
            if (ref == null || ref.isEmpty()) {
                issues.add(f.issue("client_id", "client_id is required"));
                continue;
            }
            if (audience == null || audience.isEmpty()) {
                issues.add(f.issue("audience", "audience is required"));
                continue;
            }
            f.unsupported(GRANT_FIELDS, input);
            ApiStep api = apiSteps.get(audience);
            if (api != null && api.action().equals(SKIPPED)) {
                grants.add(new GrantStep(e, key, null, audience, SKIPPED, "its API is not imported: " + api.reason(), null));
                continue;
            }
            if (api == null && MANAGEMENT_API.matcher(audience).matches() && view.apiByIdentifier(audience).isEmpty()) {
                // Deploy CLI exports leave the Management API out, but not the grants for it
                grants.add(new GrantStep(e, key, null, audience, SKIPPED, "its API is not imported: the Auth0 Management API is not imported", null));
                continue;
            }
            String[] resolved = resolveClient(ref);
            String clientId = resolved[0];
            String unresolved = resolved[1];
            if (unresolved == null && view.apiByIdentifier(audience).isEmpty()) {
                unresolved = "API " + Text.quote(audience) + " is neither a resource server of the import nor an API of the realm";
            }
            if (unresolved != null) {
                if (options.skipUnresolved()) {
                    grants.add(new GrantStep(e, key, clientId, audience, SKIPPED, unresolved, null));
                } else {
                    issues.add(f.issue(unresolved.startsWith("API") ? "audience" : "client_id", unresolved
                            + "; pass skip_unresolved=true to import the rest without it"));
                }
                continue;
            }
            TenantInput.Entry first = seen.putIfAbsent(clientId + "\n" + audience, e);
            if (first != null) {
                issues.add(f.issue("client_id", "duplicate client grant for client " + Text.quote(clientId) + " and API "
                        + Text.quote(audience) + ": also at " + where(first)));
                continue;
            }
            ClientGrant existing = view.grant(clientId, audience).orElse(null);
            if (existing != null) {
                if (scope == null && !f.has("allow_all_scopes")) scope = existing.scope();
                if (allowAll == null) allowAll = existing.allowAllScopes();
                if (organizationUsage == null) organizationUsage = existing.organizationUsage().wire();
                if (allowAnyOrganization == null) allowAnyOrganization = existing.allowAnyOrganization();
            }
            ClientGrant valid;
            try {
                valid = ClientGrantValidator.validate(new ClientGrantDraft(existing != null ? existing.id() : KeycloakModelUtils.generateId(),
                        clientId, audience, scope, allowAll == null ? null : allowAll.toString(), organizationUsage,
                        allowAnyOrganization == null ? null : allowAnyOrganization.toString()), existing, view);
            } catch (ValidationException ex) {
                problems(f, ex, Map.of());
                continue;
            }
            String action = existing == null ? CREATE
                    : valid.scope().equals(existing.scope()) && valid.allowAllScopes() == existing.allowAllScopes()
                            && valid.organizationUsage() == existing.organizationUsage()
                            && valid.allowAnyOrganization() == existing.allowAnyOrganization() ? UNCHANGED : UPDATE;
            view.base().putGrant(valid);
            grants.add(new GrantStep(e, key, clientId, audience, action, null, valid));
        }
    }

    private void indexClients() {
        for (ClientStep c : clients) {
            clientsByName.put(c.name(), c);
            String auth0Id = c.entry().node().path("client_id").isTextual() ? c.entry().node().get("client_id").textValue() : null;
            if (auth0Id != null) clientsByAuth0Id.putIfAbsent(auth0Id, c);
        }
    }

    /**
     * A grant's or an organization's client reference: {@code client_map}, else a client of the import by Auth0 id
     * or name, else a Client ID of the realm. Returns {Client ID, null} or {null, why not}.
     */
    private String[] resolveClient(String ref) {
        String clientId = options.clientMap().get(ref);
        if (clientId != null) return new String[] {clientId, null};
        ClientStep c = clientsByAuth0Id.containsKey(ref) ? clientsByAuth0Id.get(ref) : clientsByName.get(ref);
        if (c != null) {
            return c.action().equals(SKIPPED) ? new String[] {null, "its client " + Text.quote(c.name()) + " is not imported: " + c.reason()}
                    : new String[] {c.clientId(), null};
        }
        if (view.client(ref).isPresent()) return new String[] {ref, null};
        return new String[] {null, "client " + Text.quote(ref) + " is neither a client of the import nor a client of the realm"
                + " (map it with client_map)"};
    }

    /**
     * Deploy CLI {@code organizations}: {@code name} is the Keycloak organization's alias (organizations themselves are
     * Keycloak's: they must exist); {@code client_grants[].client_id} names a client, and the organization is associated
     * with that client's grants that admit organizations ({@code organization_usage} allow or require), as planned by
     * this import or already in the realm; {@code token_quota} becomes the organization's quota.
     */
    private void planOrganizations() {
        if (input.organizations.isEmpty()) return;
        RealmIndex committed = RealmIndexCache.get(session, realm);
        Map<String, TenantInput.Entry> seen = new HashMap<>();
        for (TenantInput.Entry e : input.organizations) {
            Fields f = new Fields(e, "organization");
            String name = f.text("name");
            f.entity("organization " + Text.quote(name));
            if (name == null || name.isEmpty()) {
                issues.add(f.issue("name", "name is required"));
                continue;
            }
            f.unsupported(ORGANIZATION_FIELDS, input);
            TenantInput.Entry first = seen.putIfAbsent(name, e);
            if (first != null) {
                issues.add(f.issue("name", "duplicate organization " + Text.quote(name) + ": also at " + where(first)));
                continue;
            }
            Organizations.Organization org = Organizations.find(session, realm, name).filter(o -> name.equals(o.alias())).orElse(null);
            if (org == null) {
                String unresolved = "organization " + Text.quote(name) + " is not an organization of the realm (organizations are "
                        + "Keycloak's: create it with this alias first)";
                if (options.skipUnresolved()) {
                    organizations.add(new OrgStep(e, name, SKIPPED, unresolved, null, List.of(), 0, null, null));
                } else {
                    issues.add(f.issue("name", unresolved + "; pass skip_unresolved=true to import the rest without it"));
                }
                continue;
            }
            List<ClientGrant> associate = new ArrayList<>();
            int associations = 0;
            boolean ok = true;
            List<Fields> refs = f.objects("client_grants");
            for (Fields cg : refs == null ? List.<Fields>of() : refs) {
                String ref = cg.text("client_id");
                cg.unsupported(Set.of("client_id"), input);
                if (ref == null || ref.isEmpty()) {
                    issues.add(cg.issue("client_id", "client_id is required"));
                    ok = false;
                    continue;
                }
                String[] resolved = resolveClient(ref);
                if (resolved[1] != null) {
                    issues.add(cg.issue("client_id", resolved[1]));
                    ok = false;
                    continue;
                }
                List<ClientGrant> admitting = view.base().grantsOfClient(resolved[0]).stream()
                        .filter(g -> g.organizationUsage() != dev.keycloakm2m.store.OrganizationUsage.DENY).toList();
                if (admitting.isEmpty()) {
                    issues.add(cg.issue("client_id", "client " + Text.quote(resolved[0]) + " has no client grant with organization_usage"
                            + " allow or require to associate the organization with"));
                    ok = false;
                    continue;
                }
                for (ClientGrant g : admitting) {
                    associations++;
                    if (!committed.associated(g.id(), org.id()) && associate.stream().noneMatch(a -> a.id().equals(g.id()))) associate.add(g);
                }
            }
            OrganizationQuota quota = null;
            String quotaAction = null;
            int issuesBefore = issues.size();
            Fields cc = quotaLimits(f);
            if (issues.size() > issuesBefore) continue;
            if (cc != null) {
                Boolean enforce = cc.bool("enforce");
                OrganizationQuota stored = committed.organizationQuota(org.id()).orElse(null);
                try {
                    quota = TokenQuotaValidator.validateOrganization(org.id(), cc.integer("per_hour"), cc.integer("per_day"),
                            enforce == null ? null : enforce.toString(), stored);
                } catch (ValidationException ex) {
                    problems(cc, ex, Map.of());
                    continue;
                }
                quotaAction = stored == null ? CREATE : stored.quota().equals(quota.quota()) ? UNCHANGED : UPDATE;
            }
            if (!ok) continue;
            String action = associate.isEmpty() && (quotaAction == null || quotaAction.equals(UNCHANGED)) ? UNCHANGED : UPDATE;
            organizations.add(new OrgStep(e, name, action, null, org, associate, associations, quota, quotaAction));
        }
    }

    private void planTenant() {
        for (TenantInput.Entry e : input.tenants) {
            Fields f = new Fields(e, "tenant settings");
            f.unsupported(Set.of("default_token_quota"), input);
            Fields dtq = f.object("default_token_quota");
            if (dtq == null) continue;
            dtq.unsupported(Set.of("clients"), input);
            Fields clientsQuota = dtq.object("clients");
            if (clientsQuota == null) continue;
            clientsQuota.unsupported(QUOTA_FIELDS, input);
            Fields cc = clientsQuota.object("client_credentials");
            if (cc == null) {
                issues.add(clientsQuota.issue("client_credentials", "default_token_quota.clients needs client_credentials"));
                continue;
            }
            cc.unsupported(LIMIT_FIELDS, input);
            M2mSettings current = view.base().settings();
            Boolean enforce = cc.bool("enforce");
            String perHour = cc.integer("per_hour");
            String perDay = cc.integer("per_day");
            if (perHour == null && perDay == null) {
                issues.add(cc.issue("per_hour", "a default token quota needs per_hour, per_day or both"));
                continue;
            }
            M2mSettings valid;
            try {
                valid = M2mSettingsValidator.validate(new M2mSettingsDraft(current.defaultAudience(), current.errorStyle().wire(),
                        perHour, perDay, enforce == null ? null : enforce.toString()), view);
            } catch (ValidationException ex) {
                problems(cc, ex, Map.of("default_per_hour", "per_hour", "default_per_day", "per_day", "default_enforce", "enforce"));
                continue;
            }
            String action = Objects.equals(valid.defaultQuota(), current.defaultQuota()) ? UNCHANGED
                    : current.defaultQuota() == null ? CREATE : UPDATE;
            view.base().putSettings(valid);
            tenant = new TenantStep(e, action, valid);
        }
    }

    private void problems(Fields f, ValidationException ex, Map<String, String> fieldNames) {
        for (Problem p : ex.problems()) {
            String field = p.field() == null ? null : fieldNames.getOrDefault(p.field(), p.field());
            issues.add(f.issue(field, p.message()));
        }
    }

    private static String where(TenantInput.Entry e) {
        return e.path().isEmpty() ? e.file() : e.file() + " " + e.path();
    }

    // ---- apply

    /** Writes the plan in the caller's transaction; returns the secrets of the created clients by Client ID. */
    private Map<String, String> apply() {
        String realmId = realm.getId();
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> internalIds = new HashMap<>();
        for (ClientStep c : clients) {
            if (!c.create()) continue;
            KeycloakAdapter.CreatedClient created = KeycloakAdapter.createServiceAccountClient(session, realm, c.clientId(), c.name(),
                    c.description());
            internalIds.put(c.clientId(), created.id());
            secrets.put(c.clientId(), created.secret());
            LOG.debugf("Realm %s: Auth0 import created client %s (service account)", realm.getName(), c.clientId());
        }
        long clientsDone = System.nanoTime();
        List<ResourceServer> newApis = new ArrayList<>();
        for (ApiStep a : apis) {
            if (a.action().equals(CREATE)) newApis.add(a.api());
            else if (a.action().equals(UPDATE)) M2mStore.updateApi(session, realmId, a.api());
        }
        List<M2mStore.GrantWrite> newGrants = new ArrayList<>();
        for (GrantStep g : grants) {
            if (g.action().equals(SKIPPED) || g.action().equals(UNCHANGED)) continue;
            String clientInternalId = internalIds.computeIfAbsent(g.clientId(), this::internalId);
            String apiId = view.apiByIdentifier(g.audience()).map(ResourceServer::id).orElseThrow();
            if (g.action().equals(CREATE)) newGrants.add(new M2mStore.GrantWrite(clientInternalId, apiId, g.grant()));
            else M2mStore.saveGrant(session, realmId, clientInternalId, apiId, g.grant());
        }
        List<M2mStore.QuotaWrite> newQuotas = new ArrayList<>();
        for (ClientStep c : clients) {
            if (c.quotaAction() == null || c.quotaAction().equals(UNCHANGED)) continue;
            String clientInternalId = internalIds.computeIfAbsent(c.clientId(), this::internalId);
            if (c.quotaAction().equals(CREATE)) newQuotas.add(new M2mStore.QuotaWrite(clientInternalId, c.quota()));
            else M2mStore.saveQuota(session, realmId, clientInternalId, c.quota());
        }
        M2mSettings settings = tenant != null && !tenant.action().equals(UNCHANGED) ? tenant.settings() : null;
        M2mStore.writeAll(session, realmId, newApis, newGrants, newQuotas, settings);
        for (OrgStep o : organizations) {
            if (o.action().equals(SKIPPED)) continue;
            for (ClientGrant g : o.associate()) M2mStore.associate(session, realmId, o.org().id(), g.id());
            if (o.quotaAction() != null && !o.quotaAction().equals(UNCHANGED)) M2mStore.saveOrganizationQuota(session, realmId, o.quota());
        }
        LOG.debugf("Realm %s: Auth0 import wrote %d clients, then the APIs, grants and quotas in %d ms", realm.getName(),
                secrets.size(), (System.nanoTime() - clientsDone) / 1_000_000);
        return secrets;
    }

    private String internalId(String clientId) {
        return view.client(clientId).map(ClientInfo::id).filter(Objects::nonNull).orElseThrow(
                () -> new IllegalStateException("client " + clientId + " vanished during the import"));
    }

    // ---- response

    private ObjectNode render(Map<String, String> secrets) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("dry_run", options.dryRun());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String a : List.of(CREATE, UPDATE, UNCHANGED, SKIPPED)) counts.put(a, 0);
        ArrayNode rs = o.putArray("resource_servers");
        for (ApiStep a : apis) {
            ObjectNode n = entry(rs, a.entry(), a.key(), a.action(), a.reason(), counts);
            if (a.api() != null) n.put("name", a.api().name());
        }
        ArrayNode cs = o.putArray("clients");
        for (ClientStep c : clients) {
            ObjectNode n = entry(cs, c.entry(), c.key(), c.action(), c.reason(), counts);
            if (c.clientId() != null) n.put("client_id", c.clientId());
            String secret = c.create() ? secrets.get(c.clientId()) : null;
            if (secret != null) n.put("client_secret", secret);
            if (c.quotaAction() != null) n.put("token_quota", c.quotaAction());
        }
        ArrayNode gs = o.putArray("client_grants");
        for (GrantStep g : grants) {
            ObjectNode n = entry(gs, g.entry(), g.key(), g.action(), g.reason(), counts);
            if (g.clientId() != null) n.put("client_id", g.clientId());
            if (g.audience() != null) n.put("audience", g.audience());
        }
        if (!organizations.isEmpty()) {
            ArrayNode os = o.putArray("organizations");
            for (OrgStep s : organizations) {
                ObjectNode n = entry(os, s.entry(), s.key(), s.action(), s.reason(), counts);
                if (s.org() == null) continue;
                n.put("organization_id", s.org().id());
                n.put("client_grants", s.associations());
                n.put("new_associations", s.associate().size());
                if (s.quotaAction() != null) n.put("token_quota", s.quotaAction());
            }
        }
        ArrayNode ts = o.putArray("tenant");
        if (tenant != null) entry(ts, tenant.entry(), "default_token_quota", tenant.action(), null, counts);
        ArrayNode un = o.putArray("unsupported");
        for (TenantInput.Unsupported u : input.unsupported) {
            ObjectNode n = un.addObject();
            n.put("file", u.file());
            if (u.entity() != null) n.put("entity", u.entity());
            if (u.field() != null) n.put("field", u.field());
            if (u.note() != null) n.put("note", u.note());
        }
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        counts.forEach(summary::put);
        summary.put("unsupported", input.unsupported.size());
        o.set("summary", summary);
        return o;
    }

    private static ObjectNode entry(ArrayNode to, TenantInput.Entry e, String key, String action, String reason, Map<String, Integer> counts) {
        ObjectNode n = to.addObject();
        n.put("key", key);
        n.put("action", action);
        if (reason != null) n.put("reason", reason);
        n.put("file", e.file());
        if (!e.path().isEmpty()) n.put("path", e.path());
        counts.merge(action, 1, Integer::sum);
        return n;
    }
}
