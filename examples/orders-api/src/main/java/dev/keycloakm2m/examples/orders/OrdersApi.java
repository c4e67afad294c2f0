package dev.keycloakm2m.examples.orders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The example resource server: the API {@code https://api.example.com/orders} of the example realm.
 * <ul>
 * <li>{@code GET /orders} needs scope {@code read:orders}: lists the orders;</li>
 * <li>{@code POST /orders} needs scope {@code write:orders}: creates one from {@code {"item": "...", "quantity": n}}.</li>
 * </ul>
 * Every request must carry a bearer access token that {@link AccessTokenValidator} accepts. Run it with
 * {@code mvn -q -pl examples/orders-api compile exec:java} (configuration: {@link OrdersApiConfig#fromEnvironment}).
 */
public final class OrdersApi implements AutoCloseable {

    public static final String PATH = "/orders";
    public static final String READ_SCOPE = "read:orders";
    public static final String WRITE_SCOPE = "write:orders";
    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final System.Logger LOG = System.getLogger(OrdersApi.class.getName());

    private final OrdersApiConfig config;
    private final AccessTokenValidator validator;
    private final OrderBook orders;
    private final HttpServer server;
    private final ExecutorService executor;

    private OrdersApi(OrdersApiConfig config, JWKSource<SecurityContext> keys) throws IOException {
        this.config = config;
        this.validator = new AccessTokenValidator(config, keys);
        this.orders = new OrderBook(config.clock());
        this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the API with the realm's JWKS fetched over HTTP. */
    public static OrdersApi start(OrdersApiConfig config) throws IOException {
        return new OrdersApi(config, AccessTokenValidator.remoteKeys(config));
    }

    /** Starts the API with the given key source (tests). */
    static OrdersApi start(OrdersApiConfig config, JWKSource<SecurityContext> keys) throws IOException {
        return new OrdersApi(config, keys);
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8090}. */
    public URI uri() {
        return URI.create("http://" + config.host() + ":" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request failed", e);
            if (exchange.getResponseCode() == -1) send(exchange, 500, body("error", "server_error"));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (!PATH.equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, body("error", "not_found"));
            return;
        }
        String method = exchange.getRequestMethod();
        String scope = switch (method) {
            case "GET" -> READ_SCOPE;
            case "POST" -> WRITE_SCOPE;
            default -> null;
        };
        if (scope == null) {
            exchange.getResponseHeaders().set("Allow", "GET, POST");
            send(exchange, 405, body("error", "method_not_allowed"));
            return;
        }
        AccessTokenValidator.Token token = authorize(exchange, scope);
        if (token == null) return;
        if (method.equals("GET")) {
            send(exchange, 200, body("orders", orders.list()));
        } else {
            create(exchange, token);
        }
    }

    /** The validated token when it allows {@code scope}; otherwise sends the 400/401/403 and returns null. */
    private AccessTokenValidator.Token authorize(HttpExchange exchange, String scope) throws IOException {
        String route = exchange.getRequestMethod() + " " + PATH;
        BearerAuth.Credentials credentials = BearerAuth.credentials(exchange.getRequestHeaders().get("Authorization"));
        if (credentials instanceof BearerAuth.None) {
            challenge(exchange, 401, BearerAuth.NO_TOKEN_CHALLENGE, null);
            return null;
        }
        if (credentials instanceof BearerAuth.Malformed m) {
            LOG.log(System.Logger.Level.INFO, "{0}: rejected: {1}", route,
                    m.repeated() ? "more than one Authorization header" : "Bearer credentials are not a token");
            if (m.repeated()) challenge(exchange, 400, BearerAuth.INVALID_REQUEST_CHALLENGE, body("error", "invalid_request"));
            else challenge(exchange, 401, BearerAuth.INVALID_TOKEN_CHALLENGE, body("error", "invalid_token"));
            return null;
        }
        AccessTokenValidator.Token token;
        try {
            token = validator.validate(((BearerAuth.Present) credentials).token());
        } catch (AccessTokenValidator.InvalidTokenException e) {
            // the reason stays in the server log: clients learn only that the token is not acceptable
            LOG.log(System.Logger.Level.INFO, "{0}: invalid token: {1}", route, e.getMessage());
            challenge(exchange, 401, BearerAuth.INVALID_TOKEN_CHALLENGE, body("error", "invalid_token"));
            return null;
        }
        if (!token.hasScope(scope)) {
            LOG.log(System.Logger.Level.INFO, "{0}: client {1} lacks scope {2} (token scopes: {3})", route, token.clientId(),
                    scope, token.scopes());
            challenge(exchange, 403, BearerAuth.insufficientScopeChallenge(scope),
                    body("error", "insufficient_scope", "scope", scope));
            return null;
        }
        return token;
    }

    private void create(HttpExchange exchange, AccessTokenValidator.Token token) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            send(exchange, 413, body("error", "request_too_large"));
            return;
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            json = null;
        }
        Object item = json == null ? null : json.get("item");
        Object quantity = json == null ? null : json.get("quantity");
        if (!(item instanceof String s) || s.isBlank() || s.length() > 200
                || !(quantity instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1 || n.longValue() > 10_000) {
            send(exchange, 400, body("error", "invalid_request",
                    "error_description", "send {\"item\": \"<1-200 characters>\", \"quantity\": <1-10000>}"));
            return;
        }
        send(exchange, 201, orders.add(s.trim(), n.longValue(), token.clientId()));
    }

    private static void challenge(HttpExchange exchange, int status, String wwwAuthenticate, Map<String, Object> body) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
        send(exchange, status, body);
    }

    /** A JSON object with the given name/value pairs, in this order. */
    private static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) body.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return body;
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        OrdersApiConfig config;
        OrdersApi api;
        try {
            config = OrdersApiConfig.fromEnvironment(System.getenv());
            api = start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("orders-api: " + e.getMessage());
            System.exit(2);
            return;
        } catch (BindException e) {
            System.err.println("orders-api: cannot listen on port " + System.getenv().getOrDefault("ORDERS_API_PORT",
                    String.valueOf(OrdersApiConfig.DEFAULT_PORT)) + " (" + e.getMessage() + "); set ORDERS_API_PORT to a free port");
            System.exit(1);
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("Orders API listening on " + api.uri() + PATH + " (" + config + "). Ctrl-C stops it.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            stopped.countDown();
        }, "orders-api-shutdown"));
        stopped.await();
    }
}
