package dev.keycloakm2m.exportimport;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import org.jboss.logging.Logger;

import org.keycloak.Config;
import org.keycloak.exportimport.ExportImportConfig;
import org.keycloak.exportimport.ExportProvider;
import org.keycloak.exportimport.singlefile.SingleFileExportProviderFactory;
import org.keycloak.exportimport.util.ExportUtils;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.RealmRepresentation;

import dev.keycloakm2m.M2mProviderFactory;
import org.keycloak.util.JsonSerialization;

/**
 * Keycloak's {@code singleFile} exporter ({@code kc.sh export --file}), replaced by id with a higher order: the
 * same file (one realm object, or a list of every realm), each realm with its m2m data in the component format.
 */
public final class M2mSingleFileExportProviderFactory extends SingleFileExportProviderFactory implements M2mProviderFactory<ExportProvider> {

    private static final Logger LOG = Logger.getLogger(M2mSingleFileExportProviderFactory.class);

    private Config.Scope config;

    @Override
    public void init(Config.Scope config) {
        super.init(config);
        this.config = config;
    }

    @Override
    public ExportProvider create(KeycloakSession session) {
        String fileName = System.getProperty(ExportImportConfig.FILE, config.get(FILE));
        Objects.requireNonNull(fileName, "file name not configured");
        String realmName = System.getProperty(ExportImportConfig.REALM_NAME, config.get(REALM_NAME));
        return new Provider(session.getKeycloakSessionFactory(), new File(fileName), realmName);
    }

    @Override
    public int order() {
        return 100;
    }

    private record Provider(KeycloakSessionFactory factory, File file, String realmName) implements ExportProvider {
        @Override
        public void exportModel() {
            KeycloakModelUtils.runJobInTransaction(factory, session -> {
                Object content;
                if (realmName != null) {
                    RealmModel realm = session.realms().getRealmByName(realmName);
                    Objects.requireNonNull(realm, "realm not found by realm name '" + realmName + "'");
                    content = export(session, realm);
                } else {
                    content = session.realms().getRealmsStream().map(r -> export(session, r)).toList();
                }
                LOG.infof("Exporting %s into file %s", realmName == null ? "every realm" : "realm " + realmName, file.getAbsolutePath());
                try (OutputStream out = new FileOutputStream(file)) {
                    JsonSerialization.prettyMapper.writeValue(out, content);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private RealmRepresentation export(KeycloakSession session, RealmModel realm) {
            session.getContext().setRealm(realm);
            RealmRepresentation rep = ExportUtils.exportRealm(session, realm, true, true);
            M2mExport.addTo(factory, rep);
            return rep;
        }

        @Override
        public void close() {
        }
    }
}
