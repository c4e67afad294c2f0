package dev.keycloakm2m.admin;

import static dev.keycloakm2m.admin.M2mRest.APIS;
import static dev.keycloakm2m.admin.M2mRest.api;
import static dev.keycloakm2m.admin.M2mRest.createApi;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keycloakm2m.testing.HttpResult;
import dev.keycloakm2m.testing.KeycloakExtension;
import dev.keycloakm2m.testing.TestRealm;

/** {@code GET /m2m/resource-servers?q=}: the console's search, a part of the name or identifier, paged on the server. */
@ExtendWith(KeycloakExtension.class)
class ResourceServerSearchIT {

    static TestRealm realm;

    @BeforeAll
    static void apis(TestRealm testRealm) {
        realm = testRealm;
        createApi(realm, api("Orders", "https://api.example.com/orders", "read:orders"));
        createApi(realm, api("Order history", "urn:history"));
        createApi(realm, api("Billing", "https://billing.example.com/ORDERS-export"));
        createApi(realm, api("Inventory", "https://api.example.com/stock"));
    }

    @Test
    @DisplayName("q matches a part of the name or the identifier, case-insensitively, in identifier order")
    void search() {
        assertThat(identifiers(realm.get(APIS + "?q=order").json())).containsExactly(
                "https://api.example.com/orders", "https://billing.example.com/ORDERS-export", "urn:history");
        assertThat(identifiers(realm.get(APIS + "?q=%20STOCK%20").json())).containsExactly("https://api.example.com/stock");
        assertThat(identifiers(realm.get(APIS + "?q=nothing-like-this").json())).isEmpty();
        assertThat(identifiers(realm.get(APIS + "?q=").json())).hasSize(4);
    }

    @Test
    @DisplayName("paging and totals apply to the matches")
    void pagedMatches() {
        HttpResult r = realm.get(APIS + "?q=order&include_totals=true&per_page=2&page=1");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("total").asInt()).isEqualTo(3);
        assertThat(r.json().path("start").asInt()).isEqualTo(2);
        assertThat(identifiers(r.json().path("resource_servers"))).containsExactly("urn:history");
    }

    private static List<String> identifiers(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(a -> out.add(a.path("identifier").asText()));
        return out;
    }
}
