package dev.keycloakm2m.examples.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Calls the orders API with the token from a {@link ClientCredentialsTokenSource} in the {@code Authorization}
 * header. When the API answers 401 {@code invalid_token} (token revoked, keys rotated, clocks apart) the cached
 * token is dropped and the call is retried once with a new one; other answers are returned as they are.
 */
public final class OrdersClient {

    /** What the API answered. */
    public record Response(int status, String wwwAuthenticate, String body) {
    }

    private final URI ordersUri;
    private final ClientCredentialsTokenSource tokens;
    private final HttpClient http;

    /** @param apiBase the orders API's base URL, e.g. {@code http://localhost:8090} */
    public OrdersClient(URI apiBase, ClientCredentialsTokenSource tokens, HttpClient http) {
        String base = apiBase.toString();
        this.ordersUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/orders");
        this.tokens = tokens;
        this.http = http;
    }

    /** {@code GET /orders} (needs {@code read:orders}). */
    public Response listOrders() throws IOException, InterruptedException, ClientCredentialsTokenSource.TokenRequestException {
        return call("GET", null);
    }

    /** {@code POST /orders} (needs {@code write:orders}). */
    public Response createOrder(String item, int quantity)
            throws IOException, InterruptedException, ClientCredentialsTokenSource.TokenRequestException {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("item", item);
        order.put("quantity", quantity);
        return call("POST", JSONObjectUtils.toJSONString(order));
    }

    private Response call(String method, String body)
            throws IOException, InterruptedException, ClientCredentialsTokenSource.TokenRequestException {
        Response response = send(method, body, tokens.accessToken());
        if (response.status() == 401 && response.wwwAuthenticate() != null && response.wwwAuthenticate().contains("invalid_token")) {
            tokens.invalidate();
            response = send(method, body, tokens.accessToken());
        }
        return response;
    }

    private Response send(String method, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(ordersUri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers().firstValue("WWW-Authenticate").orElse(null), r.body());
    }
}
