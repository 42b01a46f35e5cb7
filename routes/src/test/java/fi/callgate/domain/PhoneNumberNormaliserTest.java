package fi.callgate.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumberNormaliserTest {

    private final PhoneNumberNormaliser normaliser = new PhoneNumberNormaliser();

    @ParameterizedTest
    @ValueSource(strings = {"040 123 4567", "0401234567", "+358 40 1234567", "00358401234567",
            "+358-40-123 4567", "+358401234567", "(040) 123 4567", "040-1234567", " 040 123 4567 ",
            "040\u00a0123\u00a04567", "+358 (0)40 123 4567"})
    void finnishNotationsBecomeE164(String input) {
        PhoneNumberNormaliser.Result result = normaliser.normalise(input);
        assertThat(result.isValid()).as(input).isTrue();
        assertThat(result.number().e164()).isEqualTo("+358401234567");
    }

    @ParameterizedTest
    @CsvSource({"'+358 18 12345', +3581812345", "'018 12345', +3581812345", "'09 123 4567', +35891234567",
            "'+358 50 123 4567', +358501234567", "'0457 1234567', +3584571234567"})
    void alandAndLandlinesAreAccepted(String input, String e164) {
        assertThat(normaliser.normalise(input).number()).isEqualTo(new PhoneNumber(e164));
    }

    @ParameterizedTest
    @CsvSource({
            "'', EMPTY", "'   ', EMPTY",
            "'abc', NOT_A_NUMBER", "'040 CALL ME', NOT_A_NUMBER", "'=1+2', NOT_A_NUMBER",
            "'040 123 4567 ext. 5', NOT_A_NUMBER", "'@040', NOT_A_NUMBER", "'- - -', NOT_A_NUMBER",
            "'0123', INVALID", "'040 123', INVALID", "'+358 40 1234567890123', INVALID",
            "'+46 70 123 45 67', REGION_NOT_ALLOWED", "'+1 650 253 0000', REGION_NOT_ALLOWED",
            "'0046701234567', REGION_NOT_ALLOWED", "'+44 20 7946 0018', REGION_NOT_ALLOWED"})
    void refusalsCarryAReasonWithoutTheValue(String input, PhoneNumberNormaliser.Failure expected) {
        PhoneNumberNormaliser.Result result = normaliser.normalise(input);
        assertThat(result.isValid()).isFalse();
        assertThat(result.failure()).isEqualTo(expected);
        assertThat(result.failure().message()).doesNotContain(input.strip().isEmpty() ? "\u0000" : input);
    }

    @Test
    void otherRegionsCanBeConfigured() {
        var swedish = new PhoneNumberNormaliser("SE", java.util.Set.of("SE"));
        assertThat(swedish.normalise("070-123 45 67").number().e164()).isEqualTo("+46701234567");
        assertThat(swedish.normalise("+358401234567").failure())
                .isEqualTo(PhoneNumberNormaliser.Failure.REGION_NOT_ALLOWED);
    }

    @Test
    void nullAndOverlongInputAreRefused() {
        assertThat(normaliser.normalise(null).failure()).isEqualTo(PhoneNumberNormaliser.Failure.EMPTY);
        assertThat(normaliser.normalise("0".repeat(1000)).isValid()).isFalse();
    }

    @Test
    void phoneNumberIsStrictE164AndMasksItself() {
        assertThatThrownBy(() -> new PhoneNumber("0401234567")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("0401234567");
        assertThatThrownBy(() -> new PhoneNumber("+358 40")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PhoneNumber("+358401234567").toString()).doesNotContain("40123");
    }
}
