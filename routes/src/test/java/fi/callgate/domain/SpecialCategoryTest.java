package fi.callgate.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static fi.callgate.domain.SpecialCategory.*;
import static org.assertj.core.api.Assertions.assertThat;

class SpecialCategoryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ethnic_origin, RACIAL_OR_ETHNIC_ORIGIN", "Ethnicity, RACIAL_OR_ETHNIC_ORIGIN",
            "etninen alkuperä, RACIAL_OR_ETHNIC_ORIGIN", "ETNINEN_ALKUPERA, RACIAL_OR_ETHNIC_ORIGIN",
            "race, RACIAL_OR_ETHNIC_ORIGIN", "Rotu, RACIAL_OR_ETHNIC_ORIGIN",
            "political opinion, POLITICAL_OPINION", "poliittinen_mielipide, POLITICAL_OPINION",
            "Puolue, POLITICAL_OPINION", "puoluekanta, POLITICAL_OPINION", "politicalParty, POLITICAL_OPINION",
            "religion, RELIGIOUS_OR_PHILOSOPHICAL_BELIEF", "Uskonto, RELIGIOUS_OR_PHILOSOPHICAL_BELIEF",
            "uskonnollinen vakaumus, RELIGIOUS_OR_PHILOSOPHICAL_BELIEF", "vakaumus, RELIGIOUS_OR_PHILOSOPHICAL_BELIEF",
            "trade union, TRADE_UNION_MEMBERSHIP", "trade_union_member, TRADE_UNION_MEMBERSHIP",
            "ammattiliitto, TRADE_UNION_MEMBERSHIP", "Ammattiliiton jäsenyys, TRADE_UNION_MEMBERSHIP",
            "health, HEALTH", "health_status, HEALTH", "terveys, HEALTH", "Terveydentila, HEALTH",
            "terveystiedot, HEALTH", "diagnoosi, HEALTH", "diagnosis, HEALTH", "sairaus, HEALTH",
            "sairaudet, HEALTH", "lääkitys, HEALTH", "medical_condition, HEALTH",
            "sex life, SEX_LIFE_OR_SEXUAL_ORIENTATION", "sexual orientation, SEX_LIFE_OR_SEXUAL_ORIENTATION",
            "seksuaalinen suuntautuminen, SEX_LIFE_OR_SEXUAL_ORIENTATION", "sexualOrientation, SEX_LIFE_OR_SEXUAL_ORIENTATION",
            "genetic, GENETIC", "genetic_data, GENETIC", "geneettinen, GENETIC", "DNA, GENETIC",
            "biometric, BIOMETRIC", "biometrinen tunniste, BIOMETRIC", "fingerprint, BIOMETRIC",
            "sormenjälki, BIOMETRIC", "  HEALTH  , HEALTH", "TeRvEyS, HEALTH", "He\u0301alth, HEALTH"
    })
    void flagged(String header, SpecialCategory expected) {
        assertThat(SpecialCategory.detect(header)).as(header).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"first_name", "last_name", "street", "email", "source", "product", "city",
            "etunimi", "sukunimi", "katuosoite", "lähiosoite", "postitoimipaikka", "postinumero", "puhelin",
            "phone", "sähköposti", "lähde", "postal_code", "notes", "trace_id", "sex", "gender", "sukupuoli",
            "kaupunki", "osoite", "henkilötunnus", "customer_id", "start_date", "", "   ", "country", "language",
            "kieli", "age", "birth_year"})
    void notFlagged(String header) {
        assertThat(SpecialCategory.detect(header)).as(header).isEmpty();
    }
}
