package dev.keycloakm2m.auth0;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the three input forms into a {@link TenantInput}: Management API JSON
 * ({@code {"resource_servers": [...], "clients": [...], "client_grants": [...], "tenant": {...}}}), a Deploy CLI
 * {@code tenant.yaml} ({@code resourceServers}, {@code clients}, {@code clientGrants}, {@code tenant}) and a Deploy CLI
 * directory as a zip ({@code resource-servers/*.json}, {@code clients/*.json}, {@code grants/*.json},
 * {@code tenant.json}). Keywords are replaced in each file's text first, as the Deploy CLI does. Anything malformed
 * is refused with the file (and line) at fault.
 */
public final class TenantReader {

    public enum Format { JSON, YAML, ZIP }

    static final String BODY = "request body";
    static final String YAML_FILE = "tenant.yaml";
    static final int MAX_ZIP_ENTRIES = 100_000;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Top-level keys of the JSON form and of tenant.yaml, to where they go. */
    private static final Map<String, String> JSON_KEYS = Map.of("resource_servers", "rs", "clients", "c", "client_grants", "g", "tenant", "t",
            "organizations", "o");
    private static final Map<String, String> YAML_KEYS = Map.of("resourceServers", "rs", "clients", "c", "clientGrants", "g", "tenant", "t",
            "organizations", "o");
    /** Folders of the directory form. */
    private static final Map<String, String> DIRECTORIES = Map.of("resource-servers", "rs", "clients", "c", "grants", "g", "organizations", "o");

    private TenantReader() {
    }

    /** The format for a Content-Type, or {@code null} when it is none of ours. */
    public static Format format(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json")) return Format.JSON;
        if (type.equals("application/yaml") || type.equals("application/x-yaml") || type.equals("text/yaml") || type.equals("text/x-yaml")) {
            return Format.YAML;
        }
        if (type.equals("application/zip") || type.equals("application/x-zip-compressed")) return Format.ZIP;
        return null;
    }

    /** The body, at most {@link ImportException#MAX_BYTES}. */
    public static byte[] readBody(InputStream in) {
        if (in == null) return new byte[0];
        try {
            byte[] bytes = in.readNBytes(ImportException.MAX_BYTES + 1);
            if (bytes.length > ImportException.MAX_BYTES) {
                throw ImportException.bad(BODY, null, null, "the import is larger than 50 MB (" + ImportException.MAX_BYTES + " bytes)");
            }
            return bytes;
        } catch (IOException e) {
            throw ImportException.bad(BODY, null, null, "the request body could not be read");
        }
    }

    static TenantInput read(Format format, byte[] body, ImportOptions options) {
        if (body.length == 0) throw ImportException.bad(BODY, null, null, "the request body is empty");
        return switch (format) {
            case JSON -> json(body, options);
            case YAML -> yaml(body, options);
            case ZIP -> zip(body, options);
        };
    }

    // ---- JSON

    static TenantInput json(byte[] body, ImportOptions options) {
        String text = Keywords.replace(utf8(body, BODY), options.keywords(), BODY);
        JsonNode root = parseJson(text, BODY);
        TenantInput input = new TenantInput();
        topLevel(input, root, BODY, JSON_KEYS);
        return input;
    }

    // ---- YAML

    static TenantInput yaml(byte[] body, ImportOptions options) {
        String text = Keywords.replace(utf8(body, YAML_FILE), options.keywords(), YAML_FILE);
        JsonNode root = parseYaml(text, YAML_FILE);
        TenantInput input = new TenantInput();
        topLevel(input, root, YAML_FILE, YAML_KEYS);
        return input;
    }

    /** YAML 1.1 through SnakeYAML's safe constructor: no tags, no duplicate keys, few aliases, bounded nesting. */
    static JsonNode parseYaml(String text, String file) {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setMaxAliasesForCollections(50);
        lo.setNestingDepthLimit(50);
        lo.setCodePointLimit(ImportException.MAX_BYTES);
        lo.setAllowRecursiveKeys(false);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(lo)).load(text);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? "" : " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")";
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null && what != null && what.contains("duplicate")) what = e.getContext() + ": " + what;
            throw ImportException.bad(file, null, null, "malformed YAML: " + firstLine(what) + where);
        } catch (YAMLException e) {
            throw ImportException.bad(file, null, null, "malformed YAML: " + firstLine(e.getMessage()));
        }
        if (doc == null) return JSON.createObjectNode();
        try {
            return JSON.valueToTree(doc);
        } catch (IllegalArgumentException e) {
            throw ImportException.bad(file, null, null, "YAML holds values that are not JSON data: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    // ---- zip (Deploy CLI directory)

    static TenantInput zip(byte[] body, ImportOptions options) {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (++count > MAX_ZIP_ENTRIES) {
                    throw ImportException.bad(BODY, null, null, "the zip has more than " + MAX_ZIP_ENTRIES + " entries");
                }
                checkPath(name);
                if (e.isDirectory()) continue;
                byte[] buffer = new byte[8192];
                java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buffer)) > 0) {
                    total += n;
                    if (total > ImportException.MAX_BYTES) {
                        throw ImportException.bad(name, null, null, "the files in the zip add up to more than 50 MB ("
                                + ImportException.MAX_BYTES + " bytes) uncompressed");
                    }
                    content.write(buffer, 0, n);
                }
                if (files.put(name, content.toByteArray()) != null) {
                    throw ImportException.bad(name, null, null, "the zip holds this file twice");
                }
            }
        } catch (ZipException e) {
            throw ImportException.bad(BODY, null, null, "malformed zip: " + e.getMessage());
        } catch (IOException e) {
            throw ImportException.bad(BODY, null, null, "malformed zip: " + e);
        } catch (IllegalArgumentException e) {
            // entry names that are not UTF-8
            throw ImportException.bad(BODY, null, null, "malformed zip: " + e.getMessage());
        }
        if (files.isEmpty()) throw ImportException.bad(BODY, null, null, "the zip holds no files");

        String root = commonRoot(files.keySet());
        TenantInput input = new TenantInput();
        Set<String> reported = new java.util.HashSet<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            String rel = name.substring(root.length());
            String[] parts = rel.split("/");
            String kind = parts.length == 2 ? DIRECTORIES.get(parts[0]) : null;
            if (parts.length == 1 && rel.equals("tenant.json")) {
                kind = "t";
            }
            if (kind == null || !rel.endsWith(".json")) {
                String what = parts.length > 1 ? parts[0] + "/" : rel;
                if (reported.add(what)) {
                    input.unsupported.add(new TenantInput.Unsupported(root + what, null, null,
                            DIRECTORIES.containsKey(parts[0]) ? "only " + parts[0] + "/*.json files are read" : "not imported"));
                }
                continue;
            }
            String text = Keywords.replace(utf8(f.getValue(), name), options.keywords(), name);
            JsonNode node = parseJson(text, name);
            if (!node.isObject()) throw ImportException.bad(name, null, null, "the file must hold one JSON object");
            if (node.isEmpty()) continue; // the Deploy CLI skips empty files too
            TenantInput.Entry entry = new TenantInput.Entry(name, "", (ObjectNode) node);
            switch (kind) {
                case "rs" -> input.resourceServers.add(entry);
                case "o" -> input.organizations.add(entry);
                case "c" -> input.clients.add(entry);
                case "g" -> input.grants.add(entry);
                default -> input.tenants.add(entry);
            }
        }
        return input;
    }

    /** Zip-slip: absolute paths, {@code ..} segments, backslashes and drive letters are refused. */
    static void checkPath(String name) {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":") || name.indexOf('\0') >= 0;
        for (String part : name.split("/")) {
            if (part.equals("..") || part.equals(".")) bad = true;
        }
        if (bad) {
            throw ImportException.bad(ImportException.printable(name), null, null,
                    "the zip holds a path outside its root directory; nothing was imported");
        }
    }

    /**
     * The folder a zipped Deploy CLI directory sits in ({@code "tenant/"} for {@code zip -r t.zip tenant}), when every
     * file is inside the same one and none of the known folders is at the top; else {@code ""}.
     */
    static String commonRoot(Set<String> names) {
        String first = null;
        for (String n : names) {
            int slash = n.indexOf('/');
            if (slash < 0) return "";
            String top = n.substring(0, slash);
            if (DIRECTORIES.containsKey(top)) return "";
            if (first == null) first = top;
            else if (!first.equals(top)) return "";
        }
        return first == null ? "" : first + "/";
    }

    // ---- shared

    private static void topLevel(TenantInput input, JsonNode root, String file, Map<String, String> keys) {
        if (!root.isObject()) throw ImportException.bad(file, null, null, "the document must be an object with "
                + String.join(", ", new java.util.TreeSet<>(keys.keySet())));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String kind = keys.get(e.getKey());
            JsonNode v = e.getValue();
            if (kind == null) {
                input.unsupported.add(new TenantInput.Unsupported(file, null, e.getKey(), "not imported"));
                continue;
            }
            if (v.isNull()) continue;
            if (kind.equals("t")) {
                if (!v.isObject()) throw ImportException.bad(file, null, e.getKey(), e.getKey() + " must be an object");
                input.tenants.add(new TenantInput.Entry(file, e.getKey(), (ObjectNode) v));
                continue;
            }
            if (!v.isArray()) throw ImportException.bad(file, null, e.getKey(), e.getKey() + " must be a list");
            List<TenantInput.Entry> target = switch (kind) {
                case "rs" -> input.resourceServers;
                case "o" -> input.organizations;
                case "c" -> input.clients;
                default -> input.grants;
            };
            for (int i = 0; i < v.size(); i++) {
                String path = e.getKey() + "[" + i + "]";
                if (!v.get(i).isObject()) throw ImportException.bad(file, null, path, path + " must be an object");
                target.add(new TenantInput.Entry(file, path, (ObjectNode) v.get(i)));
            }
        }
    }

    static JsonNode parseJson(String text, String file) {
        if (text.isBlank()) throw ImportException.bad(file, null, null, "the file is empty");
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null) throw ImportException.bad(file, null, null, "the file is empty");
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw ImportException.bad(file, null, null, "malformed JSON: " + e.getOriginalMessage() + where);
        }
    }

    static String utf8(byte[] bytes, String file) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw ImportException.bad(file, null, null, "the file is not valid UTF-8");
        }
    }

}
