package dev.keycloakm2m.auth0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakm2m.testing.Http;
import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.TestRealm;

/** The example Auth0 tenant, import/export calls, and a comparable picture of a realm's M2M state. */
final class Auth0Files {

    static final String JSON = "application/json";
    static final String YAML = "application/yaml";
    static final String ZIP = "application/zip";
    static final String ENV = "keywords=" + Http.enc("{\"ENV\":\"prod\"}");

    private Auth0Files() {
    }

    static Path example() {
        return Path.of(System.getProperty("m2m.realm-config", "../realm-config")).resolveSibling("examples").resolve("auth0-tenant");
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(example().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example's Deploy CLI directory zipped as {@code zip -r tenant.zip tenant/} would (one root folder). */
    static byte[] exampleZip() {
        Path dir = example().resolve("directory");
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put("tenant/" + dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip(files);
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** POST /m2m/import with the master admin's token. */
    static HttpResult importTenant(TestRealm realm, String contentType, byte[] body, String query) {
        return importAs(realm, realm.admin().token(), contentType, body, query);
    }

    static HttpResult importTenant(TestRealm realm, String contentType, String body, String query) {
        return importTenant(realm, contentType, body.getBytes(StandardCharsets.UTF_8), query);
    }

    static HttpResult importAs(TestRealm realm, String token, String contentType, byte[] body, String query) {
        String url = realm.admin().baseUrl() + "/admin/realms/" + realm.name() + "/m2m/import" + (query == null ? "" : "?" + query);
        return Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * What a user sees of the realm's M2M configuration through the admin API, without generated ids: APIs, grants,
     * settings, the clients and each one's own token quota.
     */
    static ObjectNode snapshot(TestRealm realm) {
        ObjectNode s = Http.JSON.createObjectNode();
        ArrayNode apis = (ArrayNode) ok(realm.get("/m2m/resource-servers?per_page=100"));
        apis.forEach(a -> ((ObjectNode) a).remove("id"));
        s.set("apis", apis);
        ArrayNode grants = (ArrayNode) ok(realm.get("/m2m/client-grants?per_page=100"));
        grants.forEach(g -> ((ObjectNode) g).remove("id"));
        s.set("grants", grants);
        s.set("settings", ok(realm.get("/m2m/settings")));
        ObjectNode clients = s.putObject("clients");
        List<String> ids = new ArrayList<>();
        for (JsonNode c : ok(realm.get("/clients?max=1000"))) ids.add(c.get("clientId").asText());
        ids.sort(null);
        for (String id : ids) {
            JsonNode c = ok(realm.get("/clients?clientId=" + Http.enc(id))).get(0);
            ObjectNode n = clients.putObject(id);
            n.put("publicClient", c.get("publicClient").asBoolean());
            n.put("serviceAccountsEnabled", c.get("serviceAccountsEnabled").asBoolean());
            n.put("standardFlowEnabled", c.get("standardFlowEnabled").asBoolean());
            HttpResult q = realm.get("/m2m/clients/" + Http.enc(id).replace("+", "%20") + "/token-quota");
            if (q.status() == 200) n.set("token_quota", q.json());
        }
        return s;
    }

    static JsonNode ok(HttpResult r) {
        if (r.status() != 200) throw new AssertionError("expected 200: " + r);
        return r.json();
    }

    /** The actions of one list of an import response, as "key=action". */
    static List<String> actions(JsonNode result, String list) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : result.get(list)) out.add(e.get("key").asText() + "=" + e.get("action").asText());
        return out;
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) names.add(it.next());
        return names;
    }
}
