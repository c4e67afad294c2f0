package dev.keycloakm2m.examples.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The example M2M app: gets a token for the orders API with the client credentials grant, then lists the orders,
 * creates one and lists them again, all with the one cached token. Run it with
 * <pre>
 * M2M_CLIENT_ID=orders-reporting M2M_CLIENT_SECRET=demo-only-orders-reporting-secret \
 *   mvn -q -pl examples/m2m-client compile exec:java
 * </pre>
 * Environment: {@code M2M_CLIENT_ID}, {@code M2M_CLIENT_SECRET} (required), {@code M2M_TOKEN_ENDPOINT},
 * {@code M2M_AUDIENCE}, {@code M2M_SCOPE}, {@code ORDERS_API_URL} (defaults: the example realm on localhost:8080
 * and the orders API on localhost:8090).
 */
public final class M2mClientApp {

    public static final String DEFAULT_TOKEN_ENDPOINT = "http://localhost:8080/realms/m2m-demo/protocol/openid-connect/token";
    public static final String DEFAULT_AUDIENCE = "https://api.example.com/orders";
    public static final String DEFAULT_ORDERS_API_URL = "http://localhost:8090";
    public static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

    private M2mClientApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    /** Runs the example against the environment {@code env}; returns the process exit code. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
        String clientId = env.get("M2M_CLIENT_ID");
        String secret = env.get("M2M_CLIENT_SECRET");
        if (clientId == null || clientId.isBlank() || secret == null || secret.isBlank()) {
            err.println("m2m-client: set M2M_CLIENT_ID and M2M_CLIENT_SECRET (e.g. orders-reporting / demo-only-orders-reporting-secret)");
            return 2;
        }
        ClientCredentialsTokenSource.Config config = new ClientCredentialsTokenSource.Config(
                URI.create(env.getOrDefault("M2M_TOKEN_ENDPOINT", DEFAULT_TOKEN_ENDPOINT)), clientId, secret,
                env.getOrDefault("M2M_AUDIENCE", DEFAULT_AUDIENCE), env.get("M2M_SCOPE"), REFRESH_MARGIN, Clock.systemUTC());
        URI api = URI.create(env.getOrDefault("ORDERS_API_URL", DEFAULT_ORDERS_API_URL));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ClientCredentialsTokenSource tokens = new ClientCredentialsTokenSource(config, http);
        OrdersClient orders = new OrdersClient(api, tokens, http);

        out.println(clientId + " -> " + config.audience() + " (token endpoint " + config.tokenEndpoint() + ")");
        try {
            print(out, "GET  /orders", orders.listOrders());
            print(out, "POST /orders", orders.createOrder("printer paper, 5 reams", 2));
            print(out, "GET  /orders", orders.listOrders());
        } catch (ClientCredentialsTokenSource.TokenRequestException e) {
            err.println("m2m-client: the token request was refused: " + e.getMessage());
            return 1;
        } catch (ConnectException e) {
            err.println("m2m-client: cannot connect (" + e + "). Is Keycloak up (scripts/run) and the orders API "
                    + "(mvn -q -pl examples/orders-api compile exec:java) listening on " + api + "?");
            return 1;
        } catch (IOException e) {
            err.println("m2m-client: " + e);
            return 1;
        }
        out.println("3 API calls, " + tokens.tokenRequests() + " token request(s): the cached token is reused until "
                + "shortly before it expires");
        return 0;
    }

    private static void print(PrintStream out, String call, OrdersClient.Response r) {
        out.println(call + " -> " + r.status() + (r.wwwAuthenticate() == null ? "" : " WWW-Authenticate: " + r.wwwAuthenticate())
                + (r.body() == null || r.body().isEmpty() ? "" : " " + r.body()));
    }
}
