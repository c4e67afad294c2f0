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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of bench/run that talk to Keycloak: realm setup through supported write paths (admin REST API, the m2m
 * admin REST API, realm import), the realm generator of the realm-size curves, a check of every scenario's response
 * (status, claims, headers, token size), and the realm-size measurements on two nodes. Runs with Jackson from the
 * Keycloak distribution on the class path; needs nothing from the project's test classes.
 *
 * <pre>
 *   setup BASE (vanilla|m2m)                realm "bench" with every scenario's client (on m2m also API, grants, quotas)
 *   setup-rate-limit BASE                   HOOK for the rate-limit issue (17): exits 3 until it lands
 *   specs DIR SCENARIO...                   DIR/SCENARIO.spec: the wrk request lines ("PATH BODY" per line) of each
 *                                           scenario; "curve:REALM:GRANTS" is the steady request of a curve realm
 *   verify BASE VARIANT OUT_CSV SCENARIO... one request per scenario; checks it; appends its token size and claims
 *   gen-realm FILE NAME APIS GRANTS CLIENTS realm JSON for the realm-size curves (GRANTS = 0: the clients only)
 *   import BASE FILE                        POST /admin/realms, prints the elapsed milliseconds
 *   import-try BASE FILE                    POST /admin/realms, prints "MILLISECONDS STATUS" (no failure on an error)
 *   delete-realm BASE REALM                 DELETE /admin/realms/REALM, prints the elapsed milliseconds
 *   token BASE REALM GRANTS                 one token of the curve realm's steady-state request; prints elapsed ms
 *   curve BASE1 BASE2 REALM GRANTS APIS CLIENTS REPEATS OUT_CSV
 *                                           admin writes, first request after an unrelated realm change, first token
 *                                           on the other node after an m2m change (two nodes, one database)
 * </pre>
 */
public final class BenchTool {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PAGE_TYPE = "org.keycloak.services.ui.extend.UiPageProvider";

    // realm "bench": the token-path scenarios
    static final String REALM = "bench";
    static final String API = "https://bench.example.com/api";
    static final String[] SCOPES = {"read:data", "write:data", "delete:data", "admin:data"};
    static final List<String> GRANTED = List.of("read:data", "write:data");
    static final String PLAIN_CLIENT = "bench-plain";      // V, V2, P: Keycloak's usual token
    static final String SMALL_CLIENT = "bench-small";      // VS, PS: no client scopes, hardcoded audience mapper
    static final String API_CLIENT = "bench-api";          // A
    static final String QUOTA_CLIENT = "bench-quota";      // Q
    static final String HOT_CLIENT = "bench-hot";          // QH: one client with a quota, c=32
    static final String SPREAD_PREFIX = "bench-spread-";   // QSP: the same load over SPREAD clients with a quota each
    static final int SPREAD = 32;
    static final String EXHAUSTED_CLIENT = "bench-exhausted"; // X: enforced quota used up: every request is a 429
    static final String RATE_LIMITED_CLIENT = "bench-rate-limited"; // RL: hook, see setupRateLimit

    static String secret(String clientId) {
        return clientId + "-bench-secret";
    }

    static String spreadClient(int i) {
        return String.format("%s%02d", SPREAD_PREFIX, i);
    }

    // the curve realms
    static String cClient(int i) {
        return String.format("c-client-%04d", i);
    }

    static String cApi(int i) {
        return String.format("https://api-%04d.bench.example.com/", i);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) throw new IllegalArgumentException("command missing");
        switch (args[0]) {
            case "setup" -> setup(new Admin(args[1]), args[2].equals("m2m"));
            case "setup-rate-limit" -> System.exit(setupRateLimit(new Admin(args[1])));
            case "specs" -> {
                for (int i = 2; i < args.length; i++) {
                    String[] curve = args[i].split(":");
                    String text = curve[0].equals("curve") ? tokenPath(curve[1]) + " " + curveBody(Integer.parseInt(curve[2])) + "\n"
                            : spec(args[i]);
                    Files.writeString(Path.of(args[1]).resolve(args[i].replace(':', '-') + ".spec"), text);
                }
            }
            case "verify" -> {
                for (int i = 4; i < args.length; i++) verify(args[1], args[i], args[2], Path.of(args[3]));
            }
            case "gen-realm" -> genRealm(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "import" -> System.out.println(importRealm(new Admin(args[1]), Path.of(args[2])));
            case "import-try" -> {
                Admin admin = new Admin(args[1]);
                long start = System.nanoTime();
                HttpResponse<String> r = admin.sendRaw("POST", "/admin/realms", Files.readString(Path.of(args[2])), Duration.ofMinutes(30));
                System.out.println((System.nanoTime() - start) / 1_000_000 + " " + r.statusCode());
            }
            case "delete-realm" -> {
                Admin admin = new Admin(args[1]);
                long start = System.nanoTime();
                admin.expect(admin.send("DELETE", "/admin/realms/" + args[2], null), 204);
                System.out.println((System.nanoTime() - start) / 1_000_000);
            }
            case "token" -> { // URL REALM GRANTS, repeated
                for (int i = 1; i + 2 < args.length; i += 3) System.out.println(curveToken(args[i], args[i + 1], Integer.parseInt(args[i + 2])));
            }
            case "curve" -> curve(new Admin(args[1]), new Admin(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]), Path.of(args[8]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---- form bodies of the scenarios (wrk request lines)

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

    static String tokenPath(String realm) {
        return "/realms/" + realm + "/protocol/openid-connect/token";
    }

    /** The request bodies of a scenario (several: sent round-robin). */
    static List<String> bodies(String scenario) {
        return switch (scenario) {
            case "V", "V2", "P" -> List.of(clientCredentials(PLAIN_CLIENT, null));
            case "VS", "PS" -> List.of(clientCredentials(SMALL_CLIENT, null));
            case "A" -> List.of(clientCredentials(API_CLIENT, API));
            case "Q" -> List.of(clientCredentials(QUOTA_CLIENT, API));
            case "QH" -> List.of(clientCredentials(HOT_CLIENT, API));
            case "QSP" -> {
                List<String> l = new ArrayList<>();
                for (int i = 0; i < SPREAD; i++) l.add(clientCredentials(spreadClient(i), API));
                yield l;
            }
            case "X" -> List.of(clientCredentials(EXHAUSTED_CLIENT, API));
            case "RL" -> List.of(clientCredentials(RATE_LIMITED_CLIENT, API));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
    }

    static String spec(String scenario) {
        StringBuilder b = new StringBuilder();
        for (String body : bodies(scenario)) b.append(tokenPath(REALM)).append(' ').append(body).append('\n');
        return b.toString();
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

    /**
     * The fair vanilla baseline for an API token (issue 15): no default and no optional client scopes (so none of
     * the realm's mappers: roles, profile, email, acr, basic, ...) and a hardcoded audience mapper, so that its token
     * has the shape of ours (audience, no profile or role claims).
     */
    static ObjectNode smallClient() {
        ObjectNode c = client(SMALL_CLIENT);
        c.putArray("defaultClientScopes");
        c.putArray("optionalClientScopes");
        c.put("fullScopeAllowed", false);
        ObjectNode mapper = c.putArray("protocolMappers").addObject();
        mapper.put("name", "bench audience");
        mapper.put("protocol", "openid-connect");
        mapper.put("protocolMapper", "oidc-audience-mapper");
        ObjectNode config = mapper.putObject("config");
        config.put("included.custom.audience", API);
        config.put("access.token.claim", "true");
        config.put("id.token.claim", "false");
        config.put("introspection.token.claim", "true");
        return c;
    }

    static ArrayNode scopes(String... values) {
        ArrayNode a = JSON.createArrayNode();
        for (String v : values) a.addObject().put("value", v).put("description", "Bench scope " + v);
        return a;
    }

    static List<String> quotaClients() {
        List<String> l = new ArrayList<>(List.of(QUOTA_CLIENT, HOT_CLIENT, EXHAUSTED_CLIENT));
        for (int i = 0; i < SPREAD; i++) l.add(spreadClient(i));
        return l;
    }

    /** Realm "bench": the same clients on every server; on ours also the API, the grants and the quotas. */
    static void setup(Admin admin, boolean m2m) throws IOException {
        ObjectNode realm = JSON.createObjectNode();
        realm.put("realm", REALM);
        realm.put("enabled", true);
        ArrayNode clients = realm.putArray("clients");
        clients.add(client(PLAIN_CLIENT));
        clients.add(smallClient());
        clients.add(client(API_CLIENT));
        clients.add(client(RATE_LIMITED_CLIENT));
        for (String q : quotaClients()) clients.add(client(q));
        admin.expect(admin.send("POST", "/admin/realms", realm), 201);
        // Keycloak gives a client with service accounts the "service_account" client scope (client_id, clientHost,
        // clientAddress claims) whatever the import says: the small client keeps no client scope at all
        String clientsPath = "/admin/realms/" + REALM + "/clients";
        String small = admin.expect(admin.send("GET", clientsPath + "?clientId=" + SMALL_CLIENT, null), 200).json().get(0).get("id").asText();
        for (String kind : List.of("default-client-scopes", "optional-client-scopes")) {
            for (JsonNode scope : admin.expect(admin.send("GET", clientsPath + "/" + small + "/" + kind, null), 200).json()) {
                admin.expect(admin.send("DELETE", clientsPath + "/" + small + "/" + kind + "/" + scope.get("id").asText(), null), 204);
            }
        }
        if (!m2m) return;

        String m2mPath = "/admin/realms/" + REALM + "/m2m";
        ObjectNode api = JSON.createObjectNode();
        api.put("name", "Bench API");
        api.put("identifier", API);
        api.set("scopes", scopes(SCOPES));
        admin.expect(admin.send("POST", m2mPath + "/resource-servers", api), 201);
        List<String> granted = new ArrayList<>(List.of(API_CLIENT, RATE_LIMITED_CLIENT));
        granted.addAll(quotaClients());
        for (String clientId : granted) {
            ObjectNode grant = JSON.createObjectNode();
            grant.put("client_id", clientId);
            grant.put("audience", API);
            grant.set("scope", JSON.valueToTree(GRANTED));
            admin.expect(admin.send("POST", m2mPath + "/client-grants", grant), 201);
        }
        for (String clientId : quotaClients()) {
            boolean exhausted = clientId.equals(EXHAUSTED_CLIENT);
            ObjectNode quota = JSON.createObjectNode();
            ObjectNode limits = quota.putObject("client_credentials");
            limits.put("per_hour", exhausted ? 1 : Integer.MAX_VALUE);
            limits.put("per_day", exhausted ? 1 : Integer.MAX_VALUE);
            limits.put("enforce", true);
            admin.expect(admin.send("PUT", m2mPath + "/clients/" + clientId + "/token-quota", quota), 201);
        }
        // use up the exhausted client's quota: its one token of the day (a 429 already if a token was issued today)
        String url = admin.base + tokenPath(REALM);
        HttpResponse<String> r = Http.post(url, clientCredentials(EXHAUSTED_CLIENT, API), Duration.ofSeconds(120));
        if (r.statusCode() != 200 && r.statusCode() != 429) {
            throw new IllegalStateException("using up the quota of " + EXHAUSTED_CLIENT + ": " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * ===== HOOK: rate-limited path (issue 17, per-client rate limits on the token endpoint) =====
     * When that issue lands: give {@link #RATE_LIMITED_CLIENT} a rate limit of 1 request per second here through its
     * admin REST API and return 0; bench/run then measures scenario RL (429 responses per second and CPU per 429,
     * like X) with BENCH_EXPECT_STATUS=429 after a first accepted request. Until then: exit status 3 = "not
     * available", and the report says that RL is pending.
     */
    /**
     * RL: a rate-limit policy of 0 requests per second for the RL client, so every request it sends is refused
     * before client authentication (the cheapest refusal); it also means P, A and Q run in a realm where a policy
     * exists for another client. Exit 0 once the policy exists (3 on a server without rate limits).
     */
    static int setupRateLimit(Admin admin) throws IOException {
        ObjectNode policy = JSON.createObjectNode();
        policy.put("consumer_selector", "client_id:" + RATE_LIMITED_CLIENT);
        policy.put("limit", 0);
        Response r = admin.send("POST", "/admin/realms/" + REALM + "/m2m/rate-limit-policies", policy);
        if (r.status() == 404) {
            System.out.println("RL: this server has no rate-limit policies; scenario RL skipped");
            return 3;
        }
        admin.expect(r, 201);
        return 0;
    }

    // ---- check of one response per scenario: status, claims, headers; token size for the report

    static void verify(String base, String scenario, String variant, Path out) throws IOException {
        String body = bodies(scenario).get(0);
        long start = System.nanoTime();
        HttpResponse<String> r = Http.post(Http.base(base) + tokenPath(REALM), body, Duration.ofSeconds(120));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        boolean quota = scenario.startsWith("Q") || scenario.equals("X");
        check(scenario, quota == r.headers().firstValue("X-RateLimit-Remaining").isPresent(),
                quota ? "the quota header X-RateLimit-Remaining" : "no quota header");
        if (scenario.equals("X") || scenario.equals("RL")) {
            check(scenario, r.statusCode() == 429 && r.body().contains("\"too_many_requests\"")
                    && r.headers().firstValue("Retry-After").isPresent(), "429 too_many_requests with Retry-After, got "
                    + r.statusCode() + " " + r.body());
            append(out, String.join(",", variant, scenario, "429", String.valueOf(r.body().length()), "0", "-"));
            System.out.println("verified " + variant + " " + scenario + ": 429 " + r.body());
            return;
        }
        if (r.statusCode() != 200) throw new IllegalStateException(scenario + ": " + r.statusCode() + " " + r.body());
        String token = JSON.readTree(r.body()).get("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        String aud = claims.path("aud").isArray() ? claims.path("aud").toString() : claims.path("aud").asText();
        String scope = claims.path("scope").asText();
        switch (scenario) {
            case "V", "V2", "P" -> check(scenario, !aud.contains("bench.example.com"), "Keycloak's usual token, no API audience, got aud=" + aud);
            case "VS", "PS" -> check(scenario, aud.equals(API) && !claims.has("realm_access") && !claims.has("preferred_username")
                            && !claims.has("client_id"), "a small token: aud " + API + ", no role, profile or service-account claims, got " + claims);
            default -> check(scenario, API.equals(aud) && "read:data write:data".equals(scope),
                    "aud " + API + " and scope 'read:data write:data', got aud=" + aud + " scope=" + scope);
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = claims.fieldNames(); it.hasNext(); ) names.add(it.next());
        append(out, String.join(",", variant, scenario, "200", String.valueOf(token.length()), String.valueOf(names.size()),
                String.join(" ", names)));
        System.out.println("verified " + variant + " " + scenario + ": " + token.length() + " bytes, " + names.size()
                + " claims (" + String.join(" ", names) + "), aud=" + (aud.isEmpty() ? "-" : aud) + " scope=" + scope
                + r.headers().firstValue("X-RateLimit-Remaining").map(v -> " quota-remaining=" + v).orElse("")
                + " elapsed_ms=" + elapsedMs);
    }

    static void check(String scenario, boolean ok, String what) {
        if (!ok) throw new IllegalStateException("scenario " + scenario + ": expected " + what);
    }

    static void append(Path out, String row) throws IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ---- the realm-size curves

    /*
     * A curve realm: CLIENTS confidential clients, APIS APIs (four scopes each) and GRANTS grants. Grant i belongs to
     * client i % CLIENTS and names API (i / CLIENTS + client) % APIS, so no (client, API) pair repeats while a client
     * has at most APIS grants. The data is written in the realm file's m2m format (components, as `kc.sh export`
     * writes them), read into the tables by the import.
     */

    static int grantsOf(int client, int grants, int clients) {
        return grants / clients + (client < grants % clients ? 1 : 0);
    }

    static int grantedApi(int client, int j, int apis) {
        return (j + client) % apis;
    }

    static void genRealm(Path file, String name, int apis, int grants, int clients) throws IOException {
        if (grants > 0 && (apis < 1 || (grants + clients - 1) / clients > apis)) {
            throw new IllegalArgumentException("a client would need more than APIS grants: GRANTS / CLIENTS <= APIS");
        }
        ObjectNode realm = JSON.createObjectNode();
        realm.put("realm", name);
        realm.put("enabled", true);
        ArrayNode cs = realm.putArray("clients");
        for (int k = 0; k < clients; k++) cs.add(client(cClient(k)));
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
                config.putArray("identifier").add(cApi(i));
                config.putArray("scopes").add(JSON.writeValueAsString(pairs));
            }
            for (int i = 0; i < grants; i++) {
                int k = i % clients;
                ObjectNode c = pages.addObject();
                c.put("name", cClient(k));
                c.put("providerId", "m2m-client-grants");
                ObjectNode config = c.putObject("config");
                config.putArray("client_id").add(cClient(k));
                config.putArray("audience").add(cApi(grantedApi(k, i / clients, apis)));
                config.putArray("scope").add(GRANTED.get(0)).add(GRANTED.get(1));
                config.putArray("allow_all_scopes").add("false");
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), realm);
    }

    static long importRealm(Admin admin, Path file) throws IOException {
        long start = System.nanoTime();
        HttpResponse<String> r = admin.sendRaw("POST", "/admin/realms", Files.readString(file), Duration.ofMinutes(30));
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (r.statusCode() != 201) throw new IllegalStateException("import of " + file + ": " + r.statusCode() + " " + r.body());
        return ms;
    }

    /** The steady-state request of a curve realm: client 0 and its first API, or a plain token without m2m data. */
    static String curveBody(int grants) {
        return grants == 0 ? clientCredentials(cClient(0), null) : clientCredentials(cClient(0), cApi(0)); // client 0's first grant
    }

    static long curveToken(String base, String realm, int grants) throws IOException {
        long start = System.nanoTime();
        HttpResponse<String> r = Http.post(Http.base(base) + tokenPath(realm), curveBody(grants), Duration.ofSeconds(300));
        long ms = (System.nanoTime() - start) / 1_000_000;
        expectToken(r, grants == 0 ? null : cApi(0), "steady-state token in " + realm);
        return ms;
    }

    static void expectToken(HttpResponse<String> r, String audience, String what) throws IOException {
        if (r.statusCode() != 200) throw new IllegalStateException(what + ": " + r.statusCode() + " " + r.body());
        String token = JSON.readTree(r.body()).get("access_token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        String aud = claims.path("aud").isArray() ? claims.path("aud").toString() : claims.path("aud").asText();
        if (audience != null && !audience.equals(aud)) throw new IllegalStateException(what + ": aud " + aud + ", expected " + audience);
    }

    /**
     * The realm-size measurements of one curve realm, REPEATS times each, one CSV row per measurement
     * ("realm,grants,measure,repeat,ms"):
     * <ul>
     * <li>admin writes on node 1: create, update (PATCH scope), delete of a grant for a client and API without one;</li>
     * <li>the first request after an unrelated realm change (PUT of the realm's displayName on node 1), on node 1 and
     * then on node 2, of one kind per repeat in turn: the OpenID discovery document, a plain token, an API token;</li>
     * <li>the first token on the other node after an m2m change: a grant created on node 1 (warm index on node 2),
     * then the first token for it on node 2, then a second one.</li>
     * </ul>
     */
    static void curve(Admin n1, Admin n2, String realm, int grants, int apis, int clients, int repeats, Path out)
            throws IOException, InterruptedException {
        List<String> rows = new ArrayList<>();
        String grantsPath = "/admin/realms/" + realm + "/m2m/client-grants";
        // the writes' client and API: the last client (fewest grants) and an API it has no grant for
        int k = clients - 1;
        int have = grantsOf(k, grants, clients);
        if (apis > 0 && have >= apis) throw new IllegalStateException(realm + ": client " + cClient(k) + " has a grant for every API");
        String writeClient = cClient(k);
        String writeApi = apis > 0 ? cApi(grantedApi(k, have, apis)) : null;
        String url1 = n1.base + tokenPath(realm);
        String url2 = n2.base + tokenPath(realm);
        String apiBody = grants > 0 ? clientCredentials(cClient(0), cApi(0)) : null;
        String plainBody = clientCredentials(cClient(0), null);

        // warm both nodes' paths in this realm (the JVM of this tool too)
        for (int i = 0; i < 10; i++) {
            for (String url : List.of(url1, url2)) {
                expectToken(Http.post(url, plainBody, Duration.ofSeconds(300)), null, "warm-up");
                if (apiBody != null) expectToken(Http.post(url, apiBody, Duration.ofSeconds(300)), cApi(0), "warm-up");
            }
            Http.get(n1.base + "/realms/" + realm + "/.well-known/openid-configuration");
        }

        for (int r = 1; r <= repeats; r++) {
            // ---- admin writes (node 1)
            if (writeApi != null) {
                ObjectNode grant = JSON.createObjectNode();
                grant.put("client_id", writeClient);
                grant.put("audience", writeApi);
                grant.set("scope", JSON.valueToTree(GRANTED));
                n1.refreshIfOld();
                long t0 = System.nanoTime();
                Response created = n1.expect(n1.send("POST", grantsPath, grant), 201);
                long t1 = System.nanoTime();
                String id = created.json().get("id").asText();
                ObjectNode patch = JSON.createObjectNode();
                patch.set("scope", JSON.valueToTree(List.of(GRANTED.get(0))));
                long t2 = System.nanoTime();
                n1.expect(n1.send("PATCH", grantsPath + "/" + id, patch), 200);
                long t3 = System.nanoTime();
                n1.expect(n1.send("DELETE", grantsPath + "/" + id, null), 204);
                long t4 = System.nanoTime();
                rows.add(row(realm, grants, "admin_create", r, t1 - t0));
                rows.add(row(realm, grants, "admin_update", r, t3 - t2));
                rows.add(row(realm, grants, "admin_delete", r, t4 - t3));
                Thread.sleep(300);
            }

            // ---- first request after an unrelated realm change (displayName), node 1 then node 2
            String kind = switch ((r - 1) % (apiBody != null ? 3 : 2)) {
                case 0 -> "wellknown";
                case 1 -> "plain_token";
                default -> "api_token";
            };
            ObjectNode displayName = JSON.createObjectNode();
            displayName.put("displayName", "Bench " + realm + " " + System.nanoTime());
            n1.refreshIfOld();
            n1.expect(n1.send("PUT", "/admin/realms/" + realm, displayName), 204);
            for (int node = 1; node <= 2; node++) {
                Admin n = node == 1 ? n1 : n2;
                long t0 = System.nanoTime();
                switch (kind) {
                    case "wellknown" -> {
                        HttpResponse<String> w = Http.get(n.base + "/realms/" + realm + "/.well-known/openid-configuration");
                        if (w.statusCode() != 200 || !w.body().contains("token_endpoint")) {
                            throw new IllegalStateException("discovery document of " + realm + ": " + w.statusCode());
                        }
                    }
                    case "plain_token" -> expectToken(Http.post(n.base + tokenPath(realm), plainBody, Duration.ofSeconds(300)), null,
                            "plain token after a realm change");
                    default -> expectToken(Http.post(n.base + tokenPath(realm), apiBody, Duration.ofSeconds(300)), cApi(0),
                            "API token after a realm change");
                }
                rows.add(row(realm, grants, "first_after_realm_change_" + kind + "_node" + node, r, System.nanoTime() - t0));
            }
            Thread.sleep(300);

            // ---- first token on the other node after an m2m change
            if (writeApi != null) {
                expectToken(Http.post(url2, apiBody, Duration.ofSeconds(300)), cApi(0), "warm index on node 2");
                ObjectNode grant = JSON.createObjectNode();
                grant.put("client_id", writeClient);
                grant.put("audience", writeApi);
                grant.set("scope", JSON.valueToTree(GRANTED));
                n1.refreshIfOld();
                Response created = n1.expect(n1.send("POST", grantsPath, grant), 201);
                long t0 = System.nanoTime();
                HttpResponse<String> first = Http.post(url2, clientCredentials(writeClient, writeApi), Duration.ofSeconds(300));
                long t1 = System.nanoTime();
                HttpResponse<String> second = Http.post(url2, clientCredentials(writeClient, writeApi), Duration.ofSeconds(300));
                long t2 = System.nanoTime();
                expectToken(first, writeApi, "first token on node 2 after a grant was created on node 1");
                expectToken(second, writeApi, "second token on node 2");
                rows.add(row(realm, grants, "other_node_first_token", r, t1 - t0));
                rows.add(row(realm, grants, "other_node_second_token", r, t2 - t1));
                n1.expect(n1.send("DELETE", grantsPath + "/" + created.json().get("id").asText(), null), 204);
                // a revoked grant: node 2 refuses it at once
                HttpResponse<String> refused = Http.post(url2, clientCredentials(writeClient, writeApi), Duration.ofSeconds(300));
                if (refused.statusCode() == 200) throw new IllegalStateException("node 2 served a token for a deleted grant");
                Thread.sleep(500);
            }
            System.out.println("curve " + realm + " repeat " + r + " done");
        }
        StringBuilder b = new StringBuilder();
        rows.forEach(x -> b.append(x).append('\n'));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String row(String realm, int grants, String measure, int repeat, long nanos) {
        return String.format(java.util.Locale.ROOT, "%s,%d,%s,%d,%.2f", realm, grants, measure, repeat, nanos / 1e6);
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

        static HttpResponse<String> get(String url) throws IOException {
            return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300)).GET().build());
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
                    Duration.ofSeconds(120));
            if (r.statusCode() != 200) throw new IllegalStateException("admin token: " + r.statusCode() + " " + r.body());
            token = JSON.readTree(r.body()).get("access_token").asText();
            tokenAt = System.currentTimeMillis();
        }

        /** Before a timed request: a token that cannot expire during it, so no refresh is timed. */
        void refreshIfOld() throws IOException {
            if (System.currentTimeMillis() - tokenAt > 20_000) refresh();
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
