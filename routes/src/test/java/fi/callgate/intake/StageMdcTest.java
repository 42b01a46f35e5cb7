package fi.callgate.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.callgate.domain.Area;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A stage run's log context is set for the run and gone afterwards, also when the run fails. */
class StageMdcTest {
    private static final Upload UPLOAD = new Upload("u-123", "C1", Area.INBOX, "ctl-acme", "list.csv.gpg",
            "spool-1", 10, Optional.empty(), new byte[16], Upload.State.RECEIVED, null);

    @AfterEach
    void clean() {
        MDC.clear();
    }

    @Test
    void aRunCarriesStageUploadCampaignAndAccountAndClearsThem() {
        MDC.put("unrelated", "kept");
        try (StageMdc mdc = StageMdc.enter("decrypt", "u-123")) {
            assertThat(MDC.getCopyOfContextMap()).containsEntry("stage", "decrypt").containsEntry("upload", "u-123");
            StageMdc.describe(UPLOAD);
            assertThat(MDC.getCopyOfContextMap()).containsEntry("campaign", "C1").containsEntry("account", "ctl-acme");
        }
        assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("unrelated", "kept"));
    }

    @Test
    void aFailingRunClearsItsContextToo() {
        assertThatThrownBy(() -> {
            try (StageMdc mdc = StageMdc.enter("validate", "u-9")) {
                StageMdc.describe(UPLOAD);
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        Map<String, String> left = MDC.getCopyOfContextMap();
        assertThat(left == null ? Map.<String, String>of() : left).isEmpty();
    }
}
