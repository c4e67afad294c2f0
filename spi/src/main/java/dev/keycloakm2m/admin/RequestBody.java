package dev.keycloakm2m.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON object a write request carries: {@code Content-Type: application/json} (or a {@code +json} type) in
 * UTF-8, at most {@link #MAX_BYTES} bytes, one well-formed JSON object without duplicate keys. Anything else is
 * refused with 400, 413 or 415 before anything is looked up or written.
 */
final class RequestBody {

    /** Far above any valid API, grant or settings body (an API's scopes fit in 4000 stored characters). */
    static final int MAX_BYTES = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestBody() {
    }

    static ObjectNode read(InputStream in, String contentType) {
        checkContentType(contentType);
        return parse(readLimited(in));
    }

    static void checkContentType(String header) {
        String type = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
        if (!json) {
            throw new AdminRequestException(AdminRequestException.UNSUPPORTED_MEDIA_TYPE, null,
                    "Content-Type must be application/json" + (type.isEmpty() ? "" : ", not " + type));
        }
        String[] parts = header.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new AdminRequestException(AdminRequestException.UNSUPPORTED_MEDIA_TYPE, null,
                            "The request body must be UTF-8 encoded JSON");
                }
            }
        }
    }

    static byte[] readLimited(InputStream in) {
        if (in == null) return new byte[0];
        try {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new AdminRequestException(AdminRequestException.PAYLOAD_TOO_LARGE, null,
                        "The request body is larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw AdminRequestException.badRequest(null, "The request body could not be read");
        }
    }

    static ObjectNode parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw AdminRequestException.badRequest(null, "The request body is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw AdminRequestException.badRequest(null, "A JSON object is required as the request body");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw AdminRequestException.badRequest(null, "Malformed JSON: " + e.getOriginalMessage() + where);
        }
        if (node == null || !node.isObject()) {
            throw AdminRequestException.badRequest(null, "The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
