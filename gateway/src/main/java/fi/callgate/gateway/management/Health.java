package fi.callgate.gateway.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What {@code GET /health} checks: named parts, each asked live on every request (no cached state, so a
 * store that has gone away shows at once). Healthy only when every part is up.
 */
public final class Health {
    private final Map<String, BooleanSupplier> parts = new LinkedHashMap<>();

    /** Adds a part; {@code name} appears in the response, so it is a fixed word, never data. */
    public Health part(String name, BooleanSupplier up) {
        parts.put(name, up);
        return this;
    }

    /** The names of the parts that are not up, in the order they were added; empty when healthy. */
    public List<String> failing() {
        List<String> failing = new ArrayList<>();
        parts.forEach((name, check) -> {
            boolean up;
            try {
                up = check.getAsBoolean();
            } catch (RuntimeException e) {
                up = false;
            }
            if (!up) {
                failing.add(name);
            }
        });
        return failing;
    }

    /** A small JSON object: {@code {"status":"ok","ssh":"up",...}} or {@code "down"} with the failing parts. */
    String json(List<String> failing) {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(failing.isEmpty() ? "ok" : "down").append('"');
        for (String name : parts.keySet()) {
            b.append(",\"").append(name).append("\":\"").append(failing.contains(name) ? "down" : "up").append('"');
        }
        if (!failing.isEmpty()) {
            b.append(",\"failing\":[");
            for (int i = 0; i < failing.size(); i++) {
                b.append(i == 0 ? "" : ",").append('"').append(failing.get(i)).append('"');
            }
            b.append(']');
        }
        return b.append("}\n").toString();
    }
}
