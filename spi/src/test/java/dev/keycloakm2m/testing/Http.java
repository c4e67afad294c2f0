package dev.keycloakm2m.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP for tests: what a client or an admin script sees, nothing Keycloak-specific. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private Http() {
    }

    public static HttpResult send(String method, String url, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    public static HttpResult send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResult get(String url, Map<String, String> headers) {
        return send("GET", url, headers, null);
    }

    /** An application/x-www-form-urlencoded POST; params are name/value pairs, names may repeat. */
    public static HttpResult postForm(String url, Map<String, String> headers, List<String[]> params) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", url, h, formBody(params));
    }

    public static String formBody(List<String[]> params) {
        return params.stream()
                .map(p -> enc(p[0]) + "=" + enc(p[1]))
                .collect(Collectors.joining("&"));
    }

    public static List<String[]> pairs(String... nameValues) {
        if (nameValues.length % 2 != 0) throw new IllegalArgumentException("name/value pairs expected");
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) out.add(new String[] {nameValues[i], nameValues[i + 1]});
        return out;
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
