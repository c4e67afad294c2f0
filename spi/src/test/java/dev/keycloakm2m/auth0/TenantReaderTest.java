package dev.keycloakm2m.auth0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

class TenantReaderTest {

    private static final ImportOptions NONE = ImportOptions.parse(null, null, null, null, null, null);

    @Test
    @DisplayName("Content-Type picks the form; anything else is none of ours")
    void formats() {
        assertThat(TenantReader.format("application/json; charset=utf-8")).isEqualTo(TenantReader.Format.JSON);
        assertThat(TenantReader.format("application/yaml")).isEqualTo(TenantReader.Format.YAML);
        assertThat(TenantReader.format("text/yaml")).isEqualTo(TenantReader.Format.YAML);
        assertThat(TenantReader.format("application/zip")).isEqualTo(TenantReader.Format.ZIP);
        assertThat(TenantReader.format("text/plain")).isNull();
        assertThat(TenantReader.format(null)).isNull();
    }

    @Test
    @DisplayName("zip paths outside the root are refused, ordinary ones pass")
    void zipSlip() {
        TenantReader.checkPath("tenant/grants/a b.json");
        for (String evil : new String[] {"../x.json", "a/../../x.json", "/etc/passwd", "a\\..\\x", "C:/x.json", "./x.json"}) {
            assertThatThrownBy(() -> TenantReader.checkPath(evil)).as(evil).isInstanceOf(ImportException.class)
                    .hasMessageContaining("outside its root");
        }
    }

    @Test
    @DisplayName("a zipped directory may sit in one top folder; with the known folders at the top there is none")
    void commonRoot() {
        assertThat(TenantReader.commonRoot(Set.of("t/grants/a.json", "t/tenant.json"))).isEqualTo("t/");
        assertThat(TenantReader.commonRoot(Set.of("grants/a.json", "tenant.json"))).isEmpty();
        assertThat(TenantReader.commonRoot(Set.of("a/grants/a.json", "b/tenant.json"))).isEmpty();
    }

    @Test
    @DisplayName("##KEY## is text, @@KEY@@ (quoted or not) is JSON; a placeholder without value names itself and its line")
    void keywords() {
        Map<String, com.fasterxml.jackson.databind.JsonNode> kw = Map.of("ENV", TextNode.valueOf("prod"),
                "LIST", JsonNodeFactory.instance.arrayNode().add("a").add("b"));
        assertThat(Keywords.replace("x: https://##ENV##.example/\ny: @@LIST@@\nz: \"@@LIST@@\"", kw, "f"))
                .isEqualTo("x: https://prod.example/\ny: [\"a\",\"b\"]\nz: [\"a\",\"b\"]");
        assertThatThrownBy(() -> Keywords.replace("a\nb: ##OTHER##", kw, "tenant.yaml"))
                .hasMessage("tenant.yaml: keyword ##OTHER## (line 2) has no value: pass it in keywords, e.g. keywords={\"OTHER\":\"...\"}");
    }

    @Test
    @DisplayName("YAML: duplicate keys, tags and bad syntax are 400 with the line; a scalar document is refused")
    void yaml() {
        assertThatThrownBy(() -> TenantReader.yaml("a: 1\na: 2\n".getBytes(StandardCharsets.UTF_8), NONE))
                .hasMessageContaining("tenant.yaml: malformed YAML:").hasMessageContaining("duplicate key a");
        assertThatThrownBy(() -> TenantReader.yaml("x: !!javax.script.ScriptEngineManager [1]\n".getBytes(StandardCharsets.UTF_8), NONE))
                .hasMessageContaining("tenant.yaml: malformed YAML:");
        assertThatThrownBy(() -> TenantReader.yaml("just text".getBytes(StandardCharsets.UTF_8), NONE))
                .hasMessageContaining("the document must be an object");
        TenantInput in = TenantReader.yaml("resourceServers:\n  - name: A\n    identifier: urn:a\npages: []\n".getBytes(StandardCharsets.UTF_8), NONE);
        assertThat(in.resourceServers).hasSize(1);
        assertThat(in.resourceServers.get(0).path()).isEqualTo("resourceServers[0]");
        assertThat(in.unsupported).extracting(TenantInput.Unsupported::field).containsExactly("pages");
    }

    @Test
    @DisplayName("bodies above 50 MB are refused")
    void limit() {
        byte[] big = new byte[ImportException.MAX_BYTES + 1];
        assertThatThrownBy(() -> TenantReader.readBody(new ByteArrayInputStream(big))).hasMessageContaining("larger than 50 MB");
        assertThat(TenantReader.readBody(new ByteArrayInputStream(new byte[10]))).hasSize(10);
    }
}
