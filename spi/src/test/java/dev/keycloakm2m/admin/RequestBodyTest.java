package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

class RequestBodyTest {

    private static ObjectNode read(String body, String contentType) {
        return RequestBody.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), contentType);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "Application/JSON;charset=utf-8",
            "application/merge-patch+json"})
    @DisplayName("JSON content types in UTF-8 are accepted")
    void jsonTypes(String type) {
        assertThat(read("{\"name\":\"x\"}", type).get("name").asText()).isEqualTo("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=ISO-8859-1", "garbage;;"})
    @DisplayName("other content types are refused with 415")
    void otherTypes(String type) {
        assertThat(refused(() -> read("{}", type)).status()).isEqualTo(415);
    }

    @Test
    @DisplayName("a missing Content-Type is refused with 415 saying what is expected")
    void missingType() {
        AdminRequestException e = refused(() -> read("{}", null));
        assertThat(e.status()).isEqualTo(415);
        assertThat(e.getMessage()).isEqualTo("Content-Type must be application/json");
    }

    @Test
    @DisplayName("a body over the limit is refused with 413 without reading all of it")
    void tooLarge() {
        byte[] big = new byte[RequestBody.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        ByteArrayInputStream in = new ByteArrayInputStream(big);
        AdminRequestException e = refused(() -> RequestBody.read(in, "application/json"));
        assertThat(e.status()).isEqualTo(413);
    }

    @Test
    @DisplayName("malformed JSON, trailing content and duplicate keys are 400 with the parser's reason and position")
    void malformed() {
        AdminRequestException e = refused(() -> read("{\"name\": ", "application/json"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("Malformed JSON: ").contains("line 1");
        assertThat(refused(() -> read("{} {}", "application/json")).getMessage()).startsWith("Malformed JSON: ");
        assertThat(refused(() -> read("{\"a\":1,\"a\":2}", "application/json")).getMessage()).contains("Duplicate field 'a'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "[]", "\"x\"", "null", "42"})
    @DisplayName("an empty body or one that is not a JSON object is 400")
    void notAnObject(String body) {
        AdminRequestException e = refused(() -> read(body, "application/json"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isNull();
    }

    @Test
    @DisplayName("bytes that are not UTF-8 are 400")
    void notUtf8() {
        byte[] latin1 = "{\"name\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        AdminRequestException e = refused(() -> RequestBody.read(new ByteArrayInputStream(latin1), "application/json"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("The request body is not valid UTF-8");
    }

    @Test
    @DisplayName("deeply nested JSON is refused with 400, not a stack overflow")
    void deepNesting() {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(refused(() -> read(deep, "application/json")).status()).isEqualTo(400);
    }
}
