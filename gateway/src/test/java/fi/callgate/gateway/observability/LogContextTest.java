package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Structured logs: {@code logback-json.xml} (what {@code logging.format: json} loads) writes one JSON object
 * a line with the log context fields; a real upload's stage lines carry stage, upload, campaign and account
 * and no personal data; sshd and Camel log at INFO in both configurations.
 */
class LogContextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonConfigurationWritesOneObjectALineWithTheContextFields() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // the console appender takes System.out when it starts
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext ctx = configured("/logback-json.xml");
        try {
            MDC.put("stage", "decrypt");
            MDC.put("upload", "u-42");
            MDC.put("campaign", "C1");
            MDC.put("account", "ctl-acme");
            ctx.getLogger("fi.callgate.pipeline.stage.DecryptStage").info("upload {} decrypted\nsecond line", "u-42");
            MDC.clear();
            ctx.getLogger("fi.callgate.Other").warn("no context");
        } finally {
            System.setOut(original);
            MDC.clear();
            ctx.stop();
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("message").asText()).isEqualTo("upload u-42 decrypted\nsecond line");
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("logger_name").asText()).isEqualTo("fi.callgate.pipeline.stage.DecryptStage");
        assertThat(first.path("stage").asText()).isEqualTo("decrypt");
        assertThat(first.path("upload").asText()).isEqualTo("u-42");
        assertThat(first.path("campaign").asText()).isEqualTo("C1");
        assertThat(first.path("account").asText()).isEqualTo("ctl-acme");
        assertThat(first.has("@timestamp")).isTrue();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("level").asText()).isEqualTo("WARN");
        assertThat(second.has("upload")).as("context is not carried over").isFalse();
    }

    @Test
    void sshdAndCamelLogAtInfoInBothConfigurations() throws Exception {
        for (String file : List.of("/logback.xml", "/logback-json.xml")) {
            LoggerContext ctx = configured(file);
            try {
                assertThat(ctx.getLogger("org.apache.sshd").getLevel()).as(file).isEqualTo(Level.INFO);
                assertThat(ctx.getLogger("org.apache.camel").getLevel()).as(file).isEqualTo(Level.INFO);
                assertThat(ctx.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).as(file).isEqualTo(Level.INFO);
            } finally {
                ctx.stop();
            }
        }
    }

    @Test
    void aRealUploadsStageLinesCarryTheContextAndNoPersonalData(@TempDir Path home) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (TestGateway gw = TestGateway.start(home)) {
            gw.admin("campaign", "add", "C1", "--org", "Acme", "--ends", "2099-12-31").assertOk();
            try (Controller acme = new Controller(gw, "ctl-acme", "Acme", "Acme Lists <lists@acme.example>")) {
                acme.keyFor("C1");
                acme.upload("C1", acme.encrypt("list.csv", Controller.utf8("""
                        etunimi;sukunimi;puhelin;lähde
                        Matti;Meikäläinen;040 123 4567;Asiakasrekisteri 2026
                        """), true, false, -1), "list.csv.gpg");
            }
        } finally {
            root.detachAppender(events);
        }
        List<ILoggingEvent> decrypted = events.list.stream()
                .filter(e -> e.getLoggerName().endsWith("DecryptStage") && e.getFormattedMessage().contains("decrypted"))
                .toList();
        assertThat(decrypted).hasSize(1);
        Map<String, String> mdc = decrypted.get(0).getMDCPropertyMap();
        assertThat(mdc).containsEntry("stage", "decrypt").containsEntry("campaign", "C1")
                .containsEntry("account", "ctl-acme").containsKey("upload");
        assertThat(decrypted.get(0).getFormattedMessage()).contains(mdc.get("upload"));
        for (ILoggingEvent e : events.list) {
            assertThat(e.getFormattedMessage() + e.getMDCPropertyMap())
                    .doesNotContain("Matti", "Meikäläinen", "123 4567", "1234567", "Asiakasrekisteri");
        }
    }

    private static LoggerContext configured(String resource) throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(MDC.getMDCAdapter()); // the one org.slf4j.MDC writes to
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        configurator.doConfigure(LogContextTest.class.getResource(resource));
        return ctx;
    }
}
