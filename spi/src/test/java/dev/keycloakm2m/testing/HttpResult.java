package dev.keycloakm2m.testing;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** Status, headers and body of one HTTP exchange. */
public record HttpResult(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
        try {
            return Http.JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON (" + status + "): " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    public String requireHeader(String name) {
        return header(name).orElseThrow(() -> new AssertionError("no header " + name + " in " + this));
    }

    /** Id of a created resource, from the Location header. */
    public String createdId() {
        String location = requireHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers.map() + " " + body;
    }
}
