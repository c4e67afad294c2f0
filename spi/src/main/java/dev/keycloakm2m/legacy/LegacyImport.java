package dev.keycloakm2m.legacy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelValidationException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakm2m.api.ResourceServerDraft;
import dev.keycloakm2m.api.ResourceServerValidator;
import dev.keycloakm2m.grant.ClientGrantValidator;
import dev.keycloakm2m.quota.TokenQuotaValidator;
import dev.keycloakm2m.ratelimit.RateLimitPolicyValidator;
import dev.keycloakm2m.settings.M2mSettingsValidator;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientInfo;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.store.RateLimitPolicy;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.SessionRealmView;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.validation.Text;
import dev.keycloakm2m.validation.ValidationException;
import dev.keycloakm2m.kc.ComponentRows;
import dev.keycloakm2m.kc.Organizations;
import dev.keycloakm2m.store.OrganizationQuota;

/**
 * Moves m2m data in the component format (realm files, and databases written by 0.1.x) into our tables: every
 * entity validated by its one validator, the lot written in one transaction ({@link M2mStore#writeAll}), the
 * components removed.
 */
public final class LegacyImport {

    private static final Logger LOG = Logger.getLogger(LegacyImport.class);

    private LegacyImport() {
    }

    /** Whether the realm holds m2m components. */
    public static boolean hasComponents(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), Components.PAGE_TYPE).anyMatch(LegacyImport::ours)
                || realm.getComponentsStream(realm.getId(), Components.TAB_TYPE).anyMatch(SettingsComponent::is);
    }

    /**
     * Converts the realm's m2m components. {@code strict} (a realm import): any invalid entity refuses the whole
     * realm with the list of what is wrong. Otherwise (upgrade of stored data): an entity that is no longer valid is
     * logged and left out, everything else moves.
     */
    public static void convert(KeycloakSession session, RealmModel realm, boolean strict) {
        // a realm import's m2m components wait in the session, already gone from the realm; stored ones are read
        List<ComponentModel> components = strict ? ImportedComponents.release(session, realm)
                : Stream.concat(realm.getComponentsStream(realm.getId(), Components.PAGE_TYPE),
                        realm.getComponentsStream(realm.getId(), Components.TAB_TYPE)).toList();
        List<ComponentModel> pages = components.stream()
                .filter(c -> Components.PAGE_TYPE.equals(c.getProviderType()) && ours(c)).toList();
        List<ComponentModel> tabs = components.stream()
                .filter(c -> Components.TAB_TYPE.equals(c.getProviderType()) && SettingsComponent.is(c)).toList();
        if (pages.isEmpty() && tabs.isEmpty()) return;
        long start = System.nanoTime();
        SessionRealmView view = strict ? SessionRealmView.empty(session, realm) : SessionRealmView.of(session, realm);
        List<String> failures = new ArrayList<>();

        List<ResourceServer> apis = new ArrayList<>();
        for (ComponentModel c : pages) {
            if (!ApiComponent.is(c)) continue;
            ResourceServer api = check(failures, "API " + Components.first(c, ApiComponent.IDENTIFIER), () -> {
                ResourceServerDraft d = ApiComponent.draft(c);
                String id = c.getId() != null ? c.getId() : KeycloakModelUtils.generateId();
                return ResourceServerValidator.validate(new ResourceServerDraft(id, d.name(), d.identifier(), d.scopes(),
                        d.tokenLifetime(), d.signingAlg(), d.tokenDialect(), d.clientPolicy()), null, view);
            });
            if (api != null) {
                apis.add(api);
                view.putApi(api);
            }
        }
        M2mSettings settings = null;
        for (ComponentModel c : tabs) {
            settings = check(failures, "M2M settings", () -> M2mSettingsValidator.validate(SettingsComponent.draft(c), view));
            if (settings != null) view.putSettings(settings);
        }
        List<M2mStore.GrantWrite> grants = new ArrayList<>();
        for (ComponentModel c : pages) {
            if (!GrantComponent.is(c)) continue;
            ClientGrant grant = check(failures, "client grant " + Components.first(c, GrantComponent.CLIENT_ID) + " -> "
                    + Components.first(c, GrantComponent.AUDIENCE), () -> {
                ClientGrant g = ClientGrantValidator.validate(GrantComponent.draft(c), null, view);
                return g.id() != null ? g : g.withId(KeycloakModelUtils.generateId());
            });
            List<String> orgIds = grant == null ? List.of() : check(failures, "organizations of client grant "
                    + grant.clientId() + " -> " + grant.audience(), () -> organizationIds(session, realm, GrantComponent.organizations(c)));
            if (grant != null && orgIds != null) {
                view.putGrant(grant);
                grants.add(new M2mStore.GrantWrite(view.client(grant.clientId()).map(ClientInfo::id).orElseThrow(),
                        view.apiByIdentifier(grant.audience()).map(ResourceServer::id).orElseThrow(), grant, orgIds));
            }
        }
        List<OrganizationQuota> orgQuotas = new ArrayList<>();
        java.util.Set<String> orgsWithQuota = new java.util.HashSet<>();
        for (ComponentModel c : pages) {
            if (!QuotaComponent.is(c) || !QuotaComponent.isOrganization(c)) continue;
            String org = Components.first(c, QuotaComponent.ORGANIZATION);
            OrganizationQuota quota = check(failures, "token quota of organization " + org, () -> {
                String orgId = organizationIds(session, realm, List.of(org)).get(0);
                if (!orgsWithQuota.add(orgId)) {
                    throw new ValidationException(Problem.conflict("organization", "Organization " + Text.quote(org)
                            + " already has a token quota"));
                }
                OrganizationQuota q = TokenQuotaValidator.validateOrganization(orgId, Components.first(c, QuotaComponent.PER_HOUR),
                        Components.first(c, QuotaComponent.PER_DAY), Components.first(c, QuotaComponent.ENFORCE), null);
                return new OrganizationQuota(c.getId() != null ? c.getId() : KeycloakModelUtils.generateId(), q.organizationId(), q.quota());
            });
            if (quota != null) orgQuotas.add(quota);
        }
        List<M2mStore.QuotaWrite> quotas = new ArrayList<>();
        for (ComponentModel c : pages) {
            if (!QuotaComponent.is(c) || QuotaComponent.isOrganization(c)) continue;
            ClientQuota quota = check(failures, "token quota of client " + Components.first(c, QuotaComponent.CLIENT_ID),
                    () -> TokenQuotaValidator.validate(QuotaComponent.draft(c), null, view));
            if (quota != null) {
                view.putQuota(quota);
                quotas.add(new M2mStore.QuotaWrite(view.client(quota.clientId()).map(ClientInfo::id).orElseThrow(), quota));
            }
        }
        List<M2mStore.RateLimitPolicyWrite> policies = new ArrayList<>();
        for (ComponentModel c : pages) {
            if (!RateLimitPolicyComponent.is(c)) continue;
            RateLimitPolicy policy = check(failures, "rate-limit policy " + Components.first(c, RateLimitPolicyComponent.CONSUMER_SELECTOR), () -> {
                RateLimitPolicy p = RateLimitPolicyValidator.validate(RateLimitPolicyComponent.draft(c), null, view);
                return p.id() != null ? p : p.withId(KeycloakModelUtils.generateId());
            });
            if (policy != null) {
                view.putRateLimitPolicy(policy);
                policies.add(new M2mStore.RateLimitPolicyWrite(policy.clientId() == null ? null
                        : view.client(policy.clientId()).map(ClientInfo::id).orElseThrow(), policy));
            }
        }
        if (!failures.isEmpty()) {
            if (strict) {
                throw new ModelValidationException("keycloak-m2m: realm " + realm.getName() + " cannot be imported: "
                        + String.join("; ", failures));
            }
            failures.forEach(f -> LOG.warnf("Realm %s: not moved to the m2m tables, no longer valid: %s", realm.getName(), f));
        }
        M2mStore.writeAll(session, realm.getId(), apis, grants, quotas, policies, orgQuotas, settings);
        if (!strict) ComponentRows.remove(session, realm.getId(), Stream.concat(pages.stream(), tabs.stream()).map(ComponentModel::getId).toList());
        realm.removeAttribute(Components.REVISION_ATTRIBUTE); // also a change of the realm through the model: its cached copy goes
        LOG.infof("Realm %s: %d APIs, %d client grants, %d token quotas, %d rate-limit policies%s moved from components into the m2m tables in %d ms",
                realm.getName(), apis.size(), grants.size(), quotas.size() + orgQuotas.size(), policies.size(), settings == null ? "" : " and the settings",
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The ids of the organizations named (by id or alias); any that is not an organization of the realm refuses. */
    private static List<String> organizationIds(KeycloakSession session, RealmModel realm, List<String> named) {
        List<String> ids = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (String org : named) {
            if (org == null || Text.hasControlOrBroken(org)) {
                problems.add(Problem.notFound("organizations", ORGANIZATION_NOT_FOUND));
                continue;
            }
            Organizations.find(session, realm, org).ifPresentOrElse(o -> {
                if (!ids.contains(o.id())) ids.add(o.id());
            }, () -> problems.add(Problem.notFound("organizations", ORGANIZATION_NOT_FOUND + ": " + Text.quote(org))));
        }
        if (!problems.isEmpty()) throw new ValidationException(problems);
        return ids;
    }

    static final String ORGANIZATION_NOT_FOUND = "Organization not found";

    private static boolean ours(ComponentModel c) {
        return ApiComponent.is(c) || GrantComponent.is(c) || QuotaComponent.is(c) || RateLimitPolicyComponent.is(c);
    }

    private static <T> T check(List<String> failures, String label, java.util.function.Supplier<T> validate) {
        try {
            return validate.get();
        } catch (ValidationException e) {
            failures.add(label + ": " + e.getMessage());
            return null;
        }
    }
}
