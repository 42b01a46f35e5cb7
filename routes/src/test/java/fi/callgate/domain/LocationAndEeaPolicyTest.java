package fi.callgate.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationAndEeaPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}, allowed={2}")
    @CsvSource({
            // AWS
            "eu-north-1, SE, true", "eu-west-1, IE, true", "eu-west-2, GB, false", "eu-west-3, FR, true",
            "eu-central-1, DE, true", "eu-central-2, CH, false", "eu-south-1, IT, true", "eu-south-2, ES, true",
            // Azure
            "northeurope, IE, true", "westeurope, NL, true", "francecentral, FR, true", "francesouth, FR, true",
            "germanywestcentral, DE, true", "germanynorth, DE, true", "norwayeast, NO, true", "norwaywest, NO, true",
            "swedencentral, SE, true", "swedensouth, SE, true", "polandcentral, PL, true", "italynorth, IT, true",
            "spaincentral, ES, true", "switzerlandnorth, CH, false", "switzerlandwest, CH, false",
            "uksouth, GB, false", "ukwest, GB, false",
            // Google Cloud
            "europe-north1, FI, true", "europe-north2, SE, true", "europe-west1, BE, true", "europe-west2, GB, false",
            "europe-west3, DE, true", "europe-west4, NL, true", "europe-west6, CH, false", "europe-west8, IT, true",
            "europe-west9, FR, true", "europe-west10, DE, true", "europe-west12, IT, true",
            "europe-central2, PL, true", "europe-southwest1, ES, true",
            // countries, any case
            "FI, FI, true", "fi, FI, true", "Se, SE, true", "NO, NO, true", "IS, IS, true", "LI, LI, true",
            "AX, AX, true", "GB, GB, false", "CH, CH, false", "US, US, false", "CN, CN, false", "IN, IN, false",
            "'  DE ', DE, true", "EU-WEST-2, GB, false", "UKSouth, GB, false"
    })
    void mapsAndDecides(String code, String country, boolean allowed) {
        Location location = Location.parse(code);
        assertThat(location.country()).isEqualTo(country);
        assertThat(EeaPolicy.check(location).allowed()).isEqualTo(allowed);
    }

    @Test
    void everyKnownRegionIsCoveredByTheTableAbove() {
        assertThat(Location.knownRegions()).hasSize(38);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
            "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"})
    void allEeaStatesAreAllowed(String code) {
        assertThat(EeaPolicy.check(Location.parse(code)).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GB", "CH", "US", "RU", "TR", "UA", "RS", "AL", "BA", "ME", "MK", "MD", "BY", "AD",
            "MC", "SM", "VA", "GI", "FO", "GL", "JE", "GG", "IM", "SJ"})
    void europeanNonEeaCountriesAreRefused(String code) {
        assertThat(EeaPolicy.check(Location.parse(code)).allowed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "XX", "UK", "EL", "EU", "FIN", "eu-north-2", "eu-west-4", "europe-west5",
            "europe-north1-a", "us-east-1", "eastus", "us-central1", "local", "../etc", "eu west 2"})
    void unknownCodesFailToParseAndAreRefused(String code) {
        assertThatThrownBy(() -> Location.parse(code)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("location");
        assertThat(Location.tryParse(code)).isEmpty();
        EeaPolicy.Decision decision = EeaPolicy.check(code);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("location");
    }

    @Test
    void nullIsAParseFailureNotANullPointer() {
        assertThatThrownBy(() -> Location.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EeaPolicy.check((String) null).allowed()).isFalse();
    }

    @Test
    void reasonsAreHumanReadable() {
        assertThat(EeaPolicy.check("eu-west-2").reason()).isEqualTo("eu-west-2 is in GB (United Kingdom), outside the EEA");
        assertThat(EeaPolicy.check("switzerlandnorth").reason())
                .isEqualTo("switzerlandnorth is in CH (Switzerland), outside the EEA");
        assertThat(EeaPolicy.check("eu-north-1").reason()).isEqualTo("eu-north-1 is in SE (Sweden), inside the EEA");
        assertThat(EeaPolicy.check("GB").reason()).isEqualTo("GB (United Kingdom) is outside the EEA");
        assertThat(EeaPolicy.check("fi").reason()).isEqualTo("FI (Finland) is inside the EEA");
        assertThat(EeaPolicy.check("mars-1").reason()).contains("unknown storage location 'mars-1'");
    }

    @Test
    void unknownCodeMessageHasNoControlCharacters() {
        assertThat(EeaPolicy.check("x\u0007y").reason()).doesNotContain("\u0007");
    }
}
