package dev.keycloakm2m.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.keycloakm2m.store.M2mStore.Change;

class ChangeMessageTest {

    @Test
    @DisplayName("a change message carries realm, revision and each change through the cluster unchanged")
    void roundTrip() {
        String text = ChangeMessage.encode("realm-1", 42, List.of(Change.api("a-1"), Change.grant("g-1"), Change.quota("c-1"), Change.SETTINGS));
        ChangeMessage m = ChangeMessage.decode(text);
        assertThat(m.realmId()).isEqualTo("realm-1");
        assertThat(m.revision()).isEqualTo(42);
        assertThat(m.changes()).containsExactly(new Change('A', "a-1"), new Change('G', "g-1"), new Change('Q', "c-1"), new Change('S', ""));
    }

    @Test
    @DisplayName("'read everything again' and an unknown revision survive the trip; a text that is no message decodes to null")
    void fullAndForeign() {
        ChangeMessage full = ChangeMessage.decode(ChangeMessage.encode("realm-1", -1, null));
        assertThat(full.realmId()).isEqualTo("realm-1");
        assertThat(full.revision()).isEqualTo(-1);
        assertThat(full.changes()).isNull();
        assertThat(ChangeMessage.decode("realm-1")).isNull();
        assertThat(ChangeMessage.decode("realm-1\u001fx\u001f*")).isNull();
        assertThat(ChangeMessage.decode("")).isNull();
    }
}
