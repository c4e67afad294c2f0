package dev.keycloakm2m.store;

import java.util.List;
import java.util.Map;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;

import dev.keycloakm2m.ExtensionInfo;
import dev.keycloakm2m.M2mProviderFactory;

/** Our tables in Keycloak's database (APIs, grants, quotas, settings, token counters), created by our Liquibase changelog. */
public final class M2mJpaEntityProviderFactory implements JpaEntityProviderFactory, M2mProviderFactory<JpaEntityProvider> {

    /** Also names the changelog table: DATABASECHANGELOG_MM_QUOTA. */
    public static final String PROVIDER_ID = "m2m-quota";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return new M2mJpaEntityProvider();
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return ExtensionInfo.operationalInfo(Map.of("tables", "M2M_REALM, M2M_API, M2M_API_SCOPE, M2M_CLIENT_GRANT, M2M_CLIENT_GRANT_SCOPE, M2M_CLIENT_QUOTA, M2M_RATE_LIMIT_POLICY, M2M_TOKEN_COUNTER, M2M_ORG_CLIENT_GRANT, M2M_ORG_QUOTA, M2M_ORG_TOKEN_COUNTER"));
    }

    private static final class M2mJpaEntityProvider implements JpaEntityProvider {
        @Override
        public List<Class<?>> getEntities() {
            return List.of(TokenCounterEntity.class, ApiEntity.class, GrantEntity.class, QuotaEntity.class, RealmSettingsEntity.class,
                    RateLimitPolicyEntity.class, OrgGrantEntity.class, OrgQuotaEntity.class);
        }

        @Override
        public String getChangelogLocation() {
            return "META-INF/m2m-changelog-master.xml";
        }

        @Override
        public String getFactoryId() {
            return PROVIDER_ID;
        }

        @Override
        public void close() {
        }
    }
}
