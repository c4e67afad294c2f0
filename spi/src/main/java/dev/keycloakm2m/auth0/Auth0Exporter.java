package dev.keycloakm2m.auth0;

import java.util.Map;
import java.util.TreeMap;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.store.ApiScope;
import dev.keycloakm2m.store.ClientGrant;
import dev.keycloakm2m.store.ClientQuota;
import dev.keycloakm2m.store.RealmIndex;
import dev.keycloakm2m.store.ResourceServer;
import dev.keycloakm2m.store.TokenQuota;

/**
 * A realm's M2M configuration in Auth0's formats, so that it can be kept in Git and imported again: Management API
 * JSON ({@code auth0-json}) or a Deploy CLI {@code tenant.yaml} ({@code auth0-yaml}). Clients are named by their
 * Client ID (the Deploy CLI names clients, and grants name their client, by name); ids are left out.
 */
public final class Auth0Exporter {

    public static final String JSON_FORMAT = "auth0-json";
    public static final String YAML_FORMAT = "auth0-yaml";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Auth0Exporter() {
    }

    /** Without organizations. */
    public static ObjectNode json(RealmIndex index) {
        return json(index, id -> null);
    }

    /**
     * The Management API form: {@code resource_servers}, {@code clients}, {@code client_grants}, {@code tenant}, and
     * {@code organizations} in the Deploy CLI's shape (name = the Keycloak organization's alias, {@code client_grants}
     * by client, {@code token_quota}) for organizations with associations or a quota; {@code orgAlias} gives an
     * organization's alias by id ({@code null}: no longer there, left out).
     */
    public static ObjectNode json(RealmIndex index, java.util.function.Function<String, String> orgAlias) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode rs = o.putArray("resource_servers");
        for (ResourceServer api : index.apisInOrder()) {
            ObjectNode a = rs.addObject();
            a.put("name", api.name());
            a.put("identifier", api.identifier());
            ArrayNode scopes = a.putArray("scopes");
            for (ApiScope s : api.scopes()) scopes.addObject().put("value", s.value()).put("description", s.description());
            a.put("token_lifetime", api.tokenLifetime());
            a.put("signing_alg", api.signingAlg());
            a.put("token_dialect", api.tokenDialect().wire());
            a.putObject("subject_type_authorization").putObject("client").put("policy", api.clientPolicy().wire());
        }
        Map<String, ObjectNode> clients = new TreeMap<>();
        for (ClientGrant g : index.grantsInOrder()) clients.computeIfAbsent(g.clientId(), Auth0Exporter::client);
        for (ClientQuota q : index.quotas()) {
            clients.computeIfAbsent(q.clientId(), Auth0Exporter::client).putObject("token_quota").set("client_credentials", limits(q.quota()));
        }
        ArrayNode cs = o.putArray("clients");
        clients.values().forEach(cs::add);
        ArrayNode gs = o.putArray("client_grants");
        for (ClientGrant g : index.grantsInOrder()) {
            ObjectNode n = gs.addObject();
            n.put("client_id", g.clientId());
            n.put("audience", g.audience());
            ArrayNode scope = n.putArray("scope");
            g.scope().forEach(scope::add);
            if (g.allowAllScopes()) n.put("allow_all_scopes", true);
            if (g.organizationUsage() != dev.keycloakm2m.store.OrganizationUsage.DENY) n.put("organization_usage", g.organizationUsage().wire());
            if (g.allowAnyOrganization()) n.put("allow_any_organization", true);
        }
        TokenQuota dq = index.settings().defaultQuota();
        if (dq != null) {
            o.putObject("tenant").putObject("default_token_quota").putObject("clients").set("client_credentials", limits(dq));
        }
        Map<String, java.util.Set<String>> clientsByOrg = new TreeMap<>();
        for (ClientGrant g : index.grantsInOrder()) {
            for (String orgId : index.organizationsOfGrant(g.id())) {
                clientsByOrg.computeIfAbsent(orgId, k -> new java.util.TreeSet<>()).add(g.clientId());
            }
        }
        index.organizationQuotas().forEach(q -> clientsByOrg.computeIfAbsent(q.organizationId(), k -> new java.util.TreeSet<>()));
        Map<String, ObjectNode> orgs = new TreeMap<>();
        clientsByOrg.forEach((orgId, clientIds) -> {
            String alias = orgAlias.apply(orgId);
            if (alias == null) return;
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("name", alias);
            ArrayNode cg = n.putArray("client_grants");
            clientIds.forEach(c -> cg.addObject().put("client_id", c));
            index.organizationQuota(orgId).ifPresent(q -> n.putObject("token_quota").set("client_credentials", limits(q.quota())));
            orgs.put(alias, n);
        });
        if (!orgs.isEmpty()) orgs.values().forEach(o.putArray("organizations")::add);
        return o;
    }

    /** The Deploy CLI form: {@code resourceServers}, {@code clients}, {@code clientGrants}, {@code tenant}. */
    public static String yaml(RealmIndex index, String realmName) {
        return yaml(index, realmName, id -> null);
    }

    public static String yaml(RealmIndex index, String realmName, java.util.function.Function<String, String> orgAlias) {
        ObjectNode j = json(index, orgAlias);
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("resourceServers", MAPPER.convertValue(j.get("resource_servers"), Object.class));
        doc.put("clients", MAPPER.convertValue(j.get("clients"), Object.class));
        doc.put("clientGrants", MAPPER.convertValue(j.get("client_grants"), Object.class));
        if (j.has("tenant")) doc.put("tenant", MAPPER.convertValue(j.get("tenant"), Object.class));
        if (j.has("organizations")) doc.put("organizations", MAPPER.convertValue(j.get("organizations"), Object.class));
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        return "# M2M configuration of Keycloak realm " + realmName.replaceAll("[\\r\\n]", " ")
                + " in the Auth0 Deploy CLI format (keycloak-m2m export)\n" + new Yaml(options).dump(doc);
    }

    private static ObjectNode client(String clientId) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("name", clientId);
        c.put("app_type", "non_interactive");
        return c;
    }

    private static ObjectNode limits(TokenQuota q) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (q.perHour() == null) o.putNull("per_hour");
        else o.put("per_hour", q.perHour());
        if (q.perDay() == null) o.putNull("per_day");
        else o.put("per_day", q.perDay());
        o.put("enforce", q.enforce());
        return o;
    }
}
