package dev.keycloakm2m.quota;

import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;
import org.keycloak.timer.ScheduledTask;

import dev.keycloakm2m.M2mProviderFactory;
import dev.keycloakm2m.kc.KeycloakAdapter;
import dev.keycloakm2m.store.Components;
import dev.keycloakm2m.store.M2mLifecycle;

/** Per-client token quotas: one realm component each, the console's "Token quotas" page. */
public final class TokenQuotaPageProviderFactory implements UiPageProviderFactory<UiPageProvider>, M2mProviderFactory<UiPageProvider> {

    public static final String PROVIDER_ID = Components.QUOTA_PROVIDER_ID;
    private static final Logger LOG = Logger.getLogger(TokenQuotaPageProviderFactory.class);
    private static final long CLEANUP_INTERVAL_MILLIS = 60 * 60 * 1000L;

    private static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(QuotaComponent.CLIENT_ID).label("m2m.quota.client").helpText("m2m.quota.client.help")
            .type(ProviderConfigProperty.CLIENT_LIST_TYPE).required(true).add()
            .property().name(QuotaComponent.PER_HOUR).label("m2m.quota.perHour").helpText("m2m.quota.perHour.help")
            .type(ProviderConfigProperty.INTEGER_TYPE).add()
            .property().name(QuotaComponent.PER_DAY).label("m2m.quota.perDay").helpText("m2m.quota.perDay.help")
            .type(ProviderConfigProperty.INTEGER_TYPE).add()
            .property().name(QuotaComponent.ENFORCE).label("m2m.quota.enforce").helpText("m2m.quota.enforce.help")
            .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true").add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "m2m-token-quotas.help";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return PROPERTIES;
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        return Map.of("displayFields", List.of(QuotaComponent.CLIENT_ID, QuotaComponent.PER_HOUR, QuotaComponent.PER_DAY, QuotaComponent.ENFORCE));
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        M2mLifecycle.validateQuota(session, realm, model);
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.quotaChanged(session, realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        M2mLifecycle.quotaChanged(session, realm, newModel);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        M2mLifecycle.quotaRemoving(session, realm, model);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KeycloakAdapter.scheduleClusterTask(factory, new CleanupTask(), CLEANUP_INTERVAL_MILLIS);
    }

    /** Deletes counter rows of clients that counted nothing today or yesterday. */
    static final class CleanupTask implements ScheduledTask {
        @Override
        public void run(KeycloakSession session) {
            int deleted = QuotaService.cleanup(session);
            if (deleted > 0) LOG.debugf("Deleted %d stale token counter rows", deleted);
        }

        @Override
        public String getTaskName() {
            return "m2m-token-counter-cleanup";
        }
    }
}
