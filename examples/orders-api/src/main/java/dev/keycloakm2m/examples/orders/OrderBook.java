package dev.keycloakm2m.examples.orders;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The orders this demo API serves: in memory, two to start with. */
final class OrderBook {

    private final Clock clock;
    private final List<Map<String, Object>> orders = new ArrayList<>();

    OrderBook(Clock clock) {
        this.clock = clock;
        add("coffee beans, 1 kg", 3, "seed");
        add("paper cups", 500, "seed");
    }

    synchronized List<Map<String, Object>> list() {
        return List.copyOf(orders);
    }

    synchronized Map<String, Object> add(String item, long quantity, String createdBy) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", "ord-" + (orders.size() + 1));
        order.put("item", item);
        order.put("quantity", quantity);
        order.put("created_by", createdBy);
        order.put("created_at", clock.instant().toString());
        Map<String, Object> stored = Collections.unmodifiableMap(order);
        orders.add(stored);
        return stored;
    }
}
