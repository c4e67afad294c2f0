package dev.keycloakm2m.admin;

import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.admin.OperationType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.settings.M2mSettingsDraft;
import dev.keycloakm2m.settings.M2mSettingsValidator;
import dev.keycloakm2m.store.M2mSettings;
import dev.keycloakm2m.store.M2mStore;
import dev.keycloakm2m.validation.Problem;
import dev.keycloakm2m.store.RealmIndex;

/**
 * {@code /m2m/settings}: the realm's M2M settings, one object that always exists (defaults until first saved),
 * including the realm's default token quota.
 */
public final class SettingsResource {

    static final String PATH = "settings";

    private final AdminContext context;

    SettingsResource(AdminContext context) {
        this.context = context;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        context.requireView();
        return AdminErrors.handle(() -> AdminContext.ok(SettingsJson.toJson(context.index().settings())));
    }

    @Path("{unknown: .+}")
    public Object unknown() {
        throw M2mAdminResource.unknownEndpoint();
    }

    @PATCH
    @Produces(MediaType.APPLICATION_JSON)
    public Response patch(InputStream body) {
        context.requireManage();
        return AdminErrors.handle(() -> {
            RealmIndex index = context.index();
            M2mSettingsDraft draft = SettingsJson.forPatch(RequestBody.read(body, context.contentType()), index.settings());
            M2mSettings settings = context.write(() -> {
                M2mSettings valid = M2mSettingsValidator.validate(draft, context.view());
                M2mStore.saveSettings(context.session(), context.realm().getId(), valid);
                return valid;
            }, Problem.conflict("settings", "The realm's M2M settings were changed at the same time; try again"),
                    TokenQuotaJson.DEFAULT_QUOTA_BODY_FIELDS);
            ObjectNode rep = SettingsJson.toJson(settings);
            context.event(OperationType.UPDATE, M2mAdminResource.SETTINGS_EVENT, rep, "m2m", PATH);
            return AdminContext.ok(rep);
        });
    }
}
