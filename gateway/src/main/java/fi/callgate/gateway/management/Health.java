package fi.callgate.gateway.management;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /health} checks: named parts, each asked live on every request (no cached state, so a
 * store that has gone away shows at once). Healthy only when every part is up. A part may say why it is
 * down; a notice says something IT must act on without the gateway being down (no admin account yet).
 */
public final class Health {
    private final Map<String, Supplier<Optional<String>>> parts = new LinkedHashMap<>();
    private final Map<String, Supplier<Optional<String>>> notices = new LinkedHashMap<>();

    /** Adds a part; {@code name} appears in the response, so it is a fixed word, never data. */
    public Health part(String name, BooleanSupplier up) {
        return part(name, () -> up.getAsBoolean() ? Optional.empty() : Optional.of(""));
    }

    /** Adds a part that is down while {@code whyDown} gives a reason (a sentence for IT, no personal data). */
    public Health part(String name, Supplier<Optional<String>> whyDown) {
        parts.put(name, whyDown);
        return this;
    }

    /** Adds a notice: shown while {@code message} gives one, without making the gateway unhealthy. */
    public Health notice(String name, Supplier<Optional<String>> message) {
        notices.put(name, message);
        return this;
    }

    /** The names of the parts that are not up, in the order they were added; empty when healthy. */
    public List<String> failing() {
        return List.copyOf(reasons().keySet());
    }

    /** Each failing part with its reason ("" when it gives none). */
    Map<String, String> reasons() {
        Map<String, String> failing = new LinkedHashMap<>();
        parts.forEach((name, check) -> ask(check).ifPresent(why -> failing.put(name, why)));
        return failing;
    }

    private static Optional<String> ask(Supplier<Optional<String>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            return Optional.of("");
        }
    }

    /**
     * A small JSON object: {@code {"status":"ok","ssh":"up",...}} or {@code "down"} with the failing parts and,
     * where a part says why, {@code "reasons":{...}}; then any {@code "notices":{...}}.
     */
    String json(Map<String, String> failing) {
        StringBuilder b = new StringBuilder("{\"status\":\"").append(failing.isEmpty() ? "ok" : "down").append('"');
        for (String name : parts.keySet()) {
            b.append(",\"").append(name).append("\":\"").append(failing.containsKey(name) ? "down" : "up").append('"');
        }
        if (!failing.isEmpty()) {
            b.append(",\"failing\":[");
            List<String> names = new ArrayList<>(failing.keySet());
            for (int i = 0; i < names.size(); i++) {
                b.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
            }
            b.append(']');
            Map<String, String> said = new LinkedHashMap<>(failing);
            said.values().removeIf(String::isEmpty);
            object(b, "reasons", said);
        }
        Map<String, String> shown = new LinkedHashMap<>();
        notices.forEach((name, check) -> {
            try {
                check.get().ifPresent(m -> shown.put(name, m));
            } catch (RuntimeException e) {
                // a notice that cannot be computed is not shown; the parts say whether the gateway is up
            }
        });
        object(b, "notices", shown);
        return b.append("}\n").toString();
    }

    private static void object(StringBuilder b, String key, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        b.append(",\"").append(key).append("\":{");
        int i = 0;
        for (var e : entries.entrySet()) {
            b.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":");
            quote(b, e.getValue());
        }
        b.append('}');
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x2028 && c <= 0x2029)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
