package fi.callgate.gateway.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    }

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
     * where a part says why, {@code "reasons":{...}}; then any {@code "notices":{...}}. Written by Jackson (a
     * reason or notice is free text: escaping is the library's job), one line ending in a newline.
     */
    String json(Map<String, String> failing) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", failing.isEmpty() ? "ok" : "down");
        for (String name : parts.keySet()) {
            body.put(name, failing.containsKey(name) ? "down" : "up");
        }
        if (!failing.isEmpty()) {
            ArrayNode names = body.putArray("failing");
            failing.keySet().forEach(names::add);
            Map<String, String> said = new LinkedHashMap<>(failing);
            said.values().removeIf(String::isEmpty);
            object(body, "reasons", said);
        }
        Map<String, String> shown = new LinkedHashMap<>();
        notices.forEach((name, check) -> {
            try {
                check.get().ifPresent(m -> shown.put(name, m));
            } catch (RuntimeException e) {
                // a notice that cannot be computed is not shown; the parts say whether the gateway is up
            }
        });
        object(body, "notices", shown);
        try {
            return JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health body not writable", e); // a tree of strings always is
        }
    }

    private static void object(ObjectNode body, String key, Map<String, String> entries) {
        if (!entries.isEmpty()) {
            ObjectNode node = body.putObject(key);
            entries.forEach(node::put);
        }
    }

    /**
     * Jackson's JSON escapes plus DEL and the two line separators JavaScript treats as line ends, as the
     * hand-written body did: a reason shown in a browser console or pasted into a script stays on its line.
     */
    private static final class ScriptSafeEscapes extends CharacterEscapes {
        private final int[] ascii;

        ScriptSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x2028 || ch == 0x2029 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
