import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of bench/run that talk to Keycloak: realm setup through supported write paths (admin REST, realm
 * import, component endpoint), the scenario S realm generator, a sanity check of every scenario's token, and the
 * change-latency measurement (scenario C). Runs with Jackson from the Keycloak distribution on the class path.
 *
 * <pre>
 *   setup-small BASE (vanilla|m2m)          realm "bench" with the scenario clients (and, for m2m, API, grants, quota)
 *   gen-realm FILE NAME APIS GRANTS CLIENTS realm JSON for scenario S (GRANTS = 0: the same clients, no APIs)
 *   import BASE FILE                        POST /admin/realms, prints the elapsed milliseconds
 *   delete-realm BASE NAME
 *   verify BASE SCENARIO                    one token request per scenario, checks status and claims
 *   change BASE REALM REPEATS OUT LOG       scenario C: add a grant, time the first token request, remove the grant
 * </pre>
 */
public final class BenchTool {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";

    // the small realm of scenarios V, P, A, Q
    static final String REALM = "bench";
    static final String API = "https://bench.example.com/api";
    static final String[] SCOPES = {"read:data", "write:data", "delete:data", "admin:data"};
    static final List<String> GRANTED = List.of("read:data", "write:data");
    static final String PLAIN_CLIENT = "bench-plain";
    static final String API_CLIENT = "bench-api";
    static final String QUOTA_CLIENT = "bench-quota";
    /** Has a rate-limit policy and is never loaded: P, A and Q run in a realm where policies exist for other clients. */
    static final String LIMITED_CLIENT = "bench-limited";
    // scenario S
    static final String S_REALM = "bench-s";
    static final String S_EMPTY_REALM = "bench-s-empty";

    static String secret(String clientId) {
        return clientId + "-bench-secret";
    }

    static String sClient(int i) {
        return String.format("s-client-%04d", i);
    }

    static String sApi(int i) {
        return String.format("https://api-%04d.bench.example.com/", i);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) throw new IllegalArgumentException("command missing");
        switch (args[0]) {
            case "setup-small" -> setupSmall(new Admin(args[1]), args[2].equals("m2m"));
            case "gen-realm" -> genRealm(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "import" -> System.out.println(importRealm(new Admin(args[1]), Path.of(args[2])));
            case "delete-realm" -> {
                Admin admin = new Admin(args[1]);
                admin.expect(admin.send("DELETE", "/admin/realms/" + args[2], null), 204);
            }
            case "verify" -> verify(args[1], args[2]);
            case "change" -> change(new Admin(args[1]), args[2], Integer.parseInt(args[3]), Path.of(args[4]), Path.of(args[5]));
            case "body" -> System.out.println(body(args[1]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---- form bodies of the scenarios (also used by bench/run for wrk)

    static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (b.length() > 0) b.append('&');
            b.append(kv[i]).append('=').append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    static String clientCredentials(String clientId, String audience) {
        return audience == null
                ? form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret(clientId))
                : form("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret(clientId),
                        "audience", audience);
    }

    /** "REALM BODY" for a scenario letter. */
    static String body(String scenario) {
        return switch (scenario) {
            case "V", "P" -> REALM + " " + clientCredentials(PLAIN_CLIENT, null);
            case "A" -> REALM + " " + clientCredentials(API_CLIENT, API);
            case "Q" -> REALM + " " + clientCredentials(QUOTA_CLIENT, API);
            case "S" -> S_REALM + " " + clientCredentials(sClient(0), sApi(0));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    // ---- setup

    static ObjectNode client(String clientId) {
        ObjectNode c = JSON.createObjectNode();
        c.put("clientId", clientId);
        c.put("enabled", true);
        c.put("publicClient", false);
        c.put("clientAuthenticatorType", "client-secret");
        c.put("secret", secret(clientId));
        c.put("serviceAccountsEnabled", true);
        c.put("standardFlowEnabled", false);
        c.put("implicitFlowEnabled", false);
        c.put("directAccessGrantsEnabled", false);
        c.put("protocol", "openid-connect");
        return c;
    }

    static ArrayNode scopes(String... values) {
        ArrayNode a = JSON.createArrayNode();
        for (String v : values) a.addObject().put("value", v).put("description", "Bench scope " + v);
        return a;
    }

    /** The realm of scenarios V, P, A, Q: identical clients on both servers; APIs, grants and quota on ours. */
    static void setupSmall(Admin admin, boolean m2m) throws IOException {
        ObjectNode realm = JSON.createObjectNode();
        realm.put("realm", REALM);
        realm.put("enabled", true);
        ArrayNode clients = realm.putArray("clients");
        clients.add(client(PLAIN_CLIENT));
        clients.add(client(API_CLIENT));
        clients.add(client(QUOTA_CLIENT));
        clients.add(client(LIMITED_CLIENT));
        admin.expect(admin.send("POST", "/admin/realms", realm), 201);
        if (!m2m) return;

        // the m2m admin REST API (Auth0 Management API shapes)
        ObjectNode api = JSON.createObjectNode();
        api.put("name", "Bench API");
        api.put("identifier", API);
        api.set("scopes", scopes(SCOPES));
        admin.expect(admin.send("POST", "/admin/realms/" + REALM + "/m2m/resource-servers", api), 201);
        for (String clientId : List.of(API_CLIENT, QUOTA_CLIENT)) {
            ObjectNode grant = JSON.createObjectNode();
            grant.put("client_id", clientId);
            grant.put("audience", API);
            grant.set("scope", JSON.valueToTree(GRANTED));
            admin.expect(admin.send("POST", "/admin/realms/" + REALM + "/m2m/client-grants", grant), 201);
        }
        // token quota: the client's own quota through the m2m admin REST API
        ObjectNode quota = JSON.createObjectNode();
        ObjectNode limits = quota.putObject("client_credentials");
        limits.put("per_hour", Integer.MAX_VALUE);
        limits.put("per_day", Integer.MAX_VALUE);
        limits.put("enforce", true);
        admin.expect(admin.send("PUT", "/admin/realms/" + REALM + "/m2m/clients/" + QUOTA_CLIENT + "/token-quota", quota), 201);
        // a rate-limit policy for a client that is not under load: the loaded clients pay only the policy lookup
        ObjectNode policy = JSON.createObjectNode();
        policy.put("consumer_selector", "client_id:" + LIMITED_CLIENT);
        policy.put("limit", 5);
        admin.expect(admin.send("POST", "/admin/realms/" + REALM + "/m2m/rate-limit-policies", policy), 201);
    }

    /**
     * Scenario S: APIS APIs with four scopes each, CLIENTS confidential clients, GRANTS grants spread evenly (client
     * k gets a contiguous block of APIs, two scopes each). With GRANTS = 0 the realm has the clients only.
     */
    static void genRealm(Path file, String name, int apis, int grants, int clients) throws IOException {
        if (grants > 0 && (grants % clients != 0 || grants / clients > apis)) {
            throw new IllegalArgumentException("GRANTS must be a multiple of CLIENTS and GRANTS/CLIENTS <= APIS");
        }
        ObjectNode realm = JSON.createObjectNode();
        realm.put("realm", name);
        realm.put("enabled", true);
        ArrayNode cs = realm.putArray("clients");
        for (int k = 0; k < clients; k++) cs.add(client(sClient(k)));
        if (grants > 0) {
            ArrayNode pages = realm.putObject("components").putArray(PAGE_TYPE);
            for (int i = 0; i < apis; i++) {
                ArrayNode pairs = JSON.createArrayNode();
                for (String s : SCOPES) pairs.addObject().put("key", s).put("value", "Bench scope " + s);
                ObjectNode c = pages.addObject();
                c.put("name", "API " + i);
                c.put("providerId", "m2m-apis");
                ObjectNode config = c.putObject("config");
                config.putArray("name").add("API " + i);
                config.putArray("identifier").add(sApi(i));
                config.putArray("scopes").add(JSON.writeValueAsString(pairs));
            }
            int perClient = grants / clients;
            for (int k = 0; k < clients; k++) {
                for (int j = 0; j < perClient; j++) {
                    int apiIndex = sGrantedApi(k, j, perClient, apis);
                    ObjectNode c = pages.addObject();
                    c.put("name", sClient(k));
                    c.put("providerId", "m2m-client-grants");
                    ObjectNode config = c.putObject("config");
                    config.putArray("client_id").add(sClient(k));
                    config.putArray("audience").add(sApi(apiIndex));
                    config.putArray("scope").add(GRANTED.get(0)).add(GRANTED.get(1));
                    config.putArray("allow_all_scopes").add("false");
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), realm);
    }

    static int sGrantedApi(int client, int j, int perClient, int apis) {
        return (client * perClient + j) % apis;
    }

    static long importRealm(Admin admin, Path file) throws IOException {
        long start = System.nanoTime();
        HttpResponse<String> r = admin.sendRaw("POST", "/admin/realms", Files.readString(file), Duration.ofMinutes(30));
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r.statusCode() != 201) throw new IllegalStateException("import of " + file + ": " + r.statusCode() + " " + r.body());
        return ms;
    }

    // ---- sanity check: the token of each scenario is what the scenario claims to measure

    static void verify(String base, String scenario) throws IOException {
        String[] realmAndBody = body(scenario).split(" ", 2);
        long start = System.nanoTime();
        HttpResponse<String> r = Http.post(base + "/realms/" + realmAndBody[0] + "/protocol/openid-connect/token",
                realmAndBody[1], Duration.ofSeconds(120));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        if (r.statusCode() != 200) throw new IllegalStateException(scenario + ": " + r.statusCode() + " " + r.body());
        JsonNode response = JSON.readTree(r.body());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(response.get("access_token").asText().split("\\.")[1]));
        String aud = claims.path("aud").isArray() ? claims.path("aud").toString() : claims.path("aud").asText();
        String scope = claims.path("scope").asText();
        switch (scenario) {
            case "V", "P" -> check(scenario, !aud.contains("bench.example.com"), "plain token without an API audience, aud=" + aud);
            case "A", "Q" -> check(scenario, API.equals(aud) && "read:data write:data".equals(scope),
                    "aud " + API + " and scope 'read:data write:data', got aud=" + aud + " scope=" + scope);
            case "S" -> check(scenario, sApi(0).equals(aud) && "read:data write:data".equals(scope),
                    "aud " + sApi(0) + " and scope 'read:data write:data', got aud=" + aud + " scope=" + scope);
            default -> throw new IllegalArgumentException(scenario);
        }
        if (scenario.equals("Q")) {
            check(scenario, r.headers().firstValue("X-RateLimit-Remaining").isPresent(), "quota header X-RateLimit-Remaining");
        } else {
            check(scenario, r.headers().firstValue("X-RateLimit-Remaining").isEmpty(), "no quota header");
        }
        System.out.println("verified " + scenario + ": aud=" + (aud.isEmpty() ? "-" : aud) + " scope=" + scope
                + r.headers().firstValue("X-RateLimit-Remaining").map(v -> " quota-remaining=" + v).orElse("")
                + " elapsed_ms=" + elapsedMs);
    }

    static void check(String scenario, boolean ok, String what) {
        if (!ok) throw new IllegalStateException("scenario " + scenario + ": expected " + what);
    }

    // ---- scenario C: the first token request after an admin change

    static final Pattern REBUILT = Pattern.compile("Realm (\\S+): m2m index rebuilt \\((\\d+) APIs, (\\d+) grants\\) in (\\d+) ms");

    /**
     * REPEATS times: a grant for a client and an API it has no grant for is added through the m2m admin REST API;
     * the first token request for it is timed (it pays the realm cache reload and the index rebuild), then a second
     * one (warm), then the grant is removed again. The realm is left as it was. Writes CSV rows to OUT.
     */
    static void change(Admin admin, String realm, int repeats, Path out, Path serverLog) throws IOException, InterruptedException {
        String tokenUrl = Http.base(admin.base) + "/realms/" + realm + "/protocol/openid-connect/token";
        List<String> rows = new ArrayList<>();
        boolean small = realm.equals(REALM);
        // warm this JVM's HTTP client and the server's path with a few requests that change nothing
        for (int i = 0; i < 20; i++) {
            String[] rb = body(small ? "A" : "S").split(" ", 2);
            Http.post(tokenUrl, rb[1], Duration.ofSeconds(60));
        }
        for (int i = 0; i < repeats; i++) {
            String clientId;
            String audience;
            if (small) {
                clientId = PLAIN_CLIENT; // has no grant in the small realm
                audience = API;
            } else {
                int apis = admin.expect(admin.send("GET", "/admin/realms/" + realm
                        + "/m2m/resource-servers?include_totals=true&per_page=1", null), 200).json().path("total").asInt();
                int api = -1;
                int k = i;
                for (; api < 0; k++) {
                    if (k > i + 1000) throw new IllegalStateException("C: no client of " + realm + " lacks a grant");
                    api = sUngrantedApi(admin, realm, sClient(k), apis);
                }
                clientId = sClient(k - 1);
                audience = sApi(api);
            }
            ObjectNode grant = JSON.createObjectNode();
            grant.put("client_id", clientId);
            grant.put("audience", audience);
            grant.set("scope", JSON.valueToTree(GRANTED));
            admin.refresh();
            long t0 = System.nanoTime();
            Response created = admin.expect(admin.send("POST", "/admin/realms/" + realm + "/m2m/client-grants", grant), 201);
            long t1 = System.nanoTime();
            HttpResponse<String> first = Http.post(tokenUrl, clientCredentials(clientId, audience), Duration.ofSeconds(120));
            long t2 = System.nanoTime();
            HttpResponse<String> second = Http.post(tokenUrl, clientCredentials(clientId, audience), Duration.ofSeconds(60));
            long t3 = System.nanoTime();
            if (first.statusCode() != 200 || second.statusCode() != 200) {
                throw new IllegalStateException("C: token after adding a grant: " + first.statusCode() + " " + first.body());
            }
            Thread.sleep(200); // let the log line land
            long rebuildMs = lastRebuildMs(serverLog, realm);
            String id = created.json().get("id").asText();
            admin.expect(admin.send("DELETE", "/admin/realms/" + realm + "/m2m/client-grants/" + id, null), 204);
            rows.add(String.format("%s,%d,%.1f,%.1f,%.1f,%d", realm, i + 1, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, rebuildMs));
            System.out.printf("C %s #%d: admin add %.1f ms, first token %.1f ms, second token %.1f ms, index rebuild %d ms%n",
                    realm, i + 1, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, rebuildMs);
            Thread.sleep(1000);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        boolean header = !Files.exists(out);
        StringBuilder b = new StringBuilder();
        if (header) b.append("realm,repeat,admin_add_ms,first_token_ms,second_token_ms,index_rebuild_ms\n");
        rows.forEach(r -> b.append(r).append('\n'));
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    /** An API of the S realm the client has no grant for, or -1. */
    static int sUngrantedApi(Admin admin, String realm, String clientId, int apis) throws IOException {
        JsonNode grants = admin.expect(admin.send("GET", "/admin/realms/" + realm + "/m2m/client-grants?include_totals=true&per_page=100&client_id="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null), 200).json();
        java.util.Set<String> granted = new java.util.HashSet<>();
        grants.path("client_grants").forEach(g -> granted.add(g.path("audience").asText()));
        int total = grants.path("total").asInt();
        for (int page = 1; granted.size() < total; page++) {
            admin.expect(admin.send("GET", "/admin/realms/" + realm + "/m2m/client-grants?per_page=100&page=" + page + "&client_id="
                    + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null), 200).json()
                    .forEach(g -> granted.add(g.path("audience").asText()));
        }
        for (int i = 0; i < apis; i++) {
            if (!granted.contains(sApi(i))) return i;
        }
        return -1;
    }

    static long lastRebuildMs(Path log, String realm) throws IOException {
        if (log == null || !Files.exists(log)) return -1;
        long ms = -1;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = REBUILT.matcher(line);
            if (m.find() && m.group(1).equals(realm)) ms = Long.parseLong(m.group(4));
        }
        return ms;
    }

    // ---- HTTP

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        static String base(String base) {
            return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }

        static HttpResponse<String> post(String url, String form, Duration timeout) throws IOException {
            return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }

        static HttpResponse<String> send(HttpRequest request) throws IOException {
            try {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Admin REST calls as the master realm's bootstrap admin (admin/admin, loopback only). */
    static final class Admin {
        final String base;
        private String token;
        private long tokenAt;

        Admin(String base) throws IOException {
            this.base = Http.base(base);
            refresh();
        }

        void refresh() throws IOException {
            HttpResponse<String> r = Http.post(base + "/realms/master/protocol/openid-connect/token",
                    form("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin"),
                    Duration.ofSeconds(60));
            if (r.statusCode() != 200) throw new IllegalStateException("admin token: " + r.statusCode() + " " + r.body());
            token = JSON.readTree(r.body()).get("access_token").asText();
            tokenAt = System.currentTimeMillis();
        }

        Response send(String method, String path, JsonNode body) throws IOException {
            HttpResponse<String> r = sendRaw(method, path, body == null ? null : JSON.writeValueAsString(body), Duration.ofMinutes(5));
            return new Response(r.statusCode(), r.body());
        }

        HttpResponse<String> sendRaw(String method, String path, String body, Duration timeout) throws IOException {
            if (System.currentTimeMillis() - tokenAt > 30_000) refresh(); // master admin tokens live 60 s
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                    .header("Authorization", "Bearer " + token);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return Http.send(b.build());
        }

        Response expect(Response r, int status) {
            if (r.status() != status) throw new IllegalStateException("expected " + status + ", got " + r.status() + ": " + r.body());
            return r;
        }
    }
}
