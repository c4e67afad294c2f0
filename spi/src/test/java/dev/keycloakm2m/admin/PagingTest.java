package dev.keycloakm2m.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.IntNode;

class PagingTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 7).boxed().toList();

    @Test
    @DisplayName("defaults: page 0, 50 per page, a plain array")
    void defaults() {
        Paging p = Paging.parse(null, null, null);
        assertThat(p).isEqualTo(new Paging(0, 50, false));
        assertThat(p.render(ITEMS, IntNode::valueOf, "items").toString()).isEqualTo("[0,1,2,3,4,5,6]");
    }

    @Test
    @DisplayName("include_totals: start, limit, total and the page's items; pages past the end are empty")
    void totals() {
        assertThat(Paging.parse("1", "3", "true").render(ITEMS, IntNode::valueOf, "items").toString())
                .isEqualTo("{\"start\":3,\"limit\":3,\"total\":7,\"items\":[3,4,5]}");
        assertThat(Paging.parse("2", "3", "true").render(ITEMS, IntNode::valueOf, "items").toString())
                .isEqualTo("{\"start\":6,\"limit\":3,\"total\":7,\"items\":[6]}");
        assertThat(Paging.parse("2147483647", "100", "false").render(ITEMS, IntNode::valueOf, "items").toString()).isEqualTo("[]");
    }

    @ParameterizedTest
    @CsvSource({"page,-1,,", "page,x,,", "per_page,,0,", "per_page,,101,", "per_page,,1e2,", "include_totals,,,yes"})
    @DisplayName("out-of-range or malformed paging parameters are 400 naming the parameter")
    void invalid(String field, String page, String perPage, String totals) {
        try {
            Paging.parse(page, perPage, totals);
        } catch (AdminRequestException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.field()).isEqualTo(field);
            return;
        }
        throw new AssertionError("accepted");
    }
}
