package fi.callgate.gateway.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code /health} body without a server: the exact shape the management endpoint tests see over HTTP,
 * plus what they cannot easily provoke — a reason or notice with quotes, control characters and line
 * separators must still give one line of valid JSON that reads back to the same text.
 */
class HealthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthyBodyNamesEveryPartInOrderOnOneLine() {
        Health h = new Health().part("ssh", () -> true).part("store", () -> true);
        assertThat(h.json(h.reasons())).isEqualTo("{\"status\":\"ok\",\"ssh\":\"up\",\"store\":\"up\"}\n");
    }

    @Test
    void downBodyListsFailingPartsReasonsAndNotices() throws Exception {
        String reason = "location \"GB\" refused\\ \u0001\n\u2028\u2029\u007f end";
        Health h = new Health().part("ssh", () -> true).part("store", () -> false)
                .part("storage", () -> Optional.of(reason))
                .notice("admin", () -> Optional.of("no admin account exists … set X"));
        String body = h.json(h.reasons());

        assertThat(body).startsWith("{\"status\":\"down\",\"ssh\":\"up\",\"store\":\"down\",\"storage\":\"down\","
                + "\"failing\":[\"store\",\"storage\"],\"reasons\":{\"storage\":");
        assertThat(body).endsWith("}\n").doesNotContain("\u2028", "\u2029", "\u007f", "\u0001")
                .contains("\\u2028", "\\u2029", "\\u007F");
        assertThat(body.indexOf('\n')).isEqualTo(body.length() - 1);
        JsonNode read = JSON.readTree(body);
        assertThat(read.get("reasons").get("storage").asText()).isEqualTo(reason);
        assertThat(read.get("reasons").has("store")).as("a part without a reason has none").isFalse();
        assertThat(read.get("notices").get("admin").asText()).isEqualTo("no admin account exists … set X");
    }
}
