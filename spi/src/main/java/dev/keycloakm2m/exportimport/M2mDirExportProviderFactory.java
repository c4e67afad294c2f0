package dev.keycloakm2m.exportimport;

import static org.keycloak.exportimport.ExportImportConfig.DEFAULT_USERS_EXPORT_STRATEGY;
import static org.keycloak.exportimport.ExportImportConfig.DEFAULT_USERS_PER_FILE;

import java.io.IOException;


import org.keycloak.Config;
import org.keycloak.exportimport.ExportImportConfig;
import org.keycloak.exportimport.ExportProvider;
import org.keycloak.exportimport.UsersExportStrategy;
import org.keycloak.exportimport.dir.DirExportProvider;
import org.keycloak.exportimport.dir.DirExportProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.representations.idm.RealmRepresentation;

import dev.keycloakm2m.M2mProviderFactory;

/**
 * Keycloak's {@code dir} exporter (the default of {@code kc.sh export --dir}), replaced by id with a higher order:
 * the same files, each realm file with the realm's m2m data added in the component format realm import reads.
 */
public final class M2mDirExportProviderFactory extends DirExportProviderFactory implements M2mProviderFactory<ExportProvider> {

    private Config.Scope config;

    @Override
    public void init(Config.Scope config) {
        super.init(config);
        this.config = config;
    }

    @Override
    public ExportProvider create(KeycloakSession session) {
        String dir = System.getProperty(ExportImportConfig.DIR, config.get(DIR));
        String realmName = System.getProperty(ExportImportConfig.REALM_NAME, config.get(REALM_NAME));
        String usersExportStrategy = System.getProperty(ExportImportConfig.USERS_EXPORT_STRATEGY,
                config.get(USERS_EXPORT_STRATEGY, DEFAULT_USERS_EXPORT_STRATEGY.toString()));
        String usersPerFile = System.getProperty(ExportImportConfig.USERS_PER_FILE,
                config.get(USERS_PER_FILE, String.valueOf(DEFAULT_USERS_PER_FILE)));
        return new WithM2m(session.getKeycloakSessionFactory())
                .withDir(dir)
                .withRealmName(realmName)
                .withUsersExportStrategy(Enum.valueOf(UsersExportStrategy.class, usersExportStrategy.toUpperCase()))
                .withUsersPerFile(Integer.parseInt(usersPerFile.trim()));
    }

    @Override
    public int order() {
        return 100;
    }

    private static final class WithM2m extends DirExportProvider {
        private final KeycloakSessionFactory sessionFactory;

        WithM2m(KeycloakSessionFactory sessionFactory) {
            super(sessionFactory);
            this.sessionFactory = sessionFactory;
        }

        @Override
        public void writeRealm(String fileName, RealmRepresentation rep) throws IOException {
            M2mExport.addTo(sessionFactory, rep);
            super.writeRealm(fileName, rep);
        }
    }
}
