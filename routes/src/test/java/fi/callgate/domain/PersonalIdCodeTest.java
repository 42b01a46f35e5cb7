package fi.callgate.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalIdCodeTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "131052-308T",                  // the classic example
            "010594Y9032", "010594Y9021",   // 2023 separators (DVV examples; 9xx = temporary)
            "010101-0101",                  // checksum 1 is correct: 010101010 mod 31 = 1
            "311299-9872", "290200A5214",   // 29 Feb 2000 is a leap day
            "010150+002D",                  // 1800s
            "131052X308T", "131052W308T", "131052V308T", "131052U308T",  // every 1900s sign
            "010101A0101", "010101B0101", "010101C0101", "010101D0101", "010101E0101", "010101F0101"})
    void validCodes(String code) {
        assertThat(PersonalIdCode.isValid(code)).as(code).isTrue();
        assertThat(PersonalIdCode.containsValidCode(code)).isTrue();
        assertThat(PersonalIdCode.parse(code).value()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "020505A002E",    // checksum: expected N
            "020505E000A",    // individual number 000 is never issued (and checksum is L)
            "020505E001K",    // 001 neither, even with its correct check character
            "010101-010X", "131052-308U", "131052-309T", // checksum errors
            "310299-1234", "290201A1234", "290200-1234", // invalid dates (29 Feb 1900 is not a leap day)
            "310499-1234", "000199-1234", "011399-1234", "320199-1234",
            "131052G308T", "131052Z308T", "131052/308T", "131052 308T",  // no such century sign
            "131052-308", "131052-308TT", "", "13105-2308T", "1310523-08T", "AB1052-308T",
            "131052-308t", "131052x308T"  // isValid keeps the issued form: lower case is not valid there
    })
    void invalidCodes(String code) {
        assertThat(PersonalIdCode.isValid(code)).as(code).isFalse();
        assertThatThrownBy(() -> PersonalIdCode.parse(code)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(code.isEmpty() ? "\u0000" : code);
    }

    @Test
    void temporaryCodesAreFlagged() {
        assertThat(PersonalIdCode.parse("010594Y9032").isTemporary()).isTrue();
        assertThat(PersonalIdCode.parse("131052-308T").isTemporary()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes: 131052-308T ok", "131052-308T", "x131052-308Tx", "hetu=131052-308t",
            "id 010594y9032.", "a;b;010594Y9021", "line1\n131052-308T", "2020-01-01 131052-308T"})
    void foundInFreeText(String cell) {
        assertThat(PersonalIdCode.containsValidCode(cell)).as(cell).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "notes: 131052-308U", "131052-30", "040-1234567", "+358401234567",
            "123456-7890", "2024-01-01", "order 12345-678A", "Mannerheimintie 12 A 5", "131052 308T",
            "310299-9872", "ISBN 951-0-12345-6"})
    void notFoundInOrdinaryText(String cell) {
        assertThat(PersonalIdCode.containsValidCode(cell)).as(cell).isFalse();
    }

    @Test
    void neverPrintsItself() {
        assertThat(PersonalIdCode.parse("131052-308T").toString()).doesNotContain("131052");
        assertThat(PersonalIdCode.containsValidCode(null)).isFalse();
        assertThat(PersonalIdCode.isValid(null)).isFalse();
    }
}
