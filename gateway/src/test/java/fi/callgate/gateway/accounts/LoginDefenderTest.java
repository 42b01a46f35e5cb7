package fi.callgate.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defender's arithmetic on a clock the test moves: threshold, window, ban, growth, cap, per-account passwords. */
class LoginDefenderTest {
    final MutableClock clock = new MutableClock();
    final LoginDefender d = new LoginDefender(true, 3, Duration.ofMinutes(5), Duration.ofSeconds(10), 2.0,
            Duration.ofSeconds(60), clock);

    private Duration remaining(String source) {
        return Duration.between(clock.instant(), d.bannedUntil(source));
    }

    @Test
    void sourceIsBannedAtTheThresholdNotBefore() {
        assertThat(d.failed("10.0.0.1", "alice")).isFalse();
        assertThat(d.failed("10.0.0.1", "alice")).isFalse();
        assertThat(d.isSourceBanned("10.0.0.1")).isFalse();
        assertThat(d.failed("10.0.0.1", "alice")).isTrue();
        assertThat(d.isSourceBanned("10.0.0.1")).isTrue();
        assertThat(d.isSourceBanned("10.0.0.2")).isFalse();
        assertThat(remaining("10.0.0.1")).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        d.failed("10.0.0.1", null);
        d.failed("10.0.0.1", null);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(d.failed("10.0.0.1", null)).isFalse();
        assertThat(d.failed("10.0.0.1", null)).isFalse();
        assertThat(d.isSourceBanned("10.0.0.1")).isFalse();
        assertThat(d.failed("10.0.0.1", null)).isTrue();
    }

    @Test
    void banExpiresAndFailuresDuringABanDoNotExtendIt() {
        ban("10.0.0.1");
        clock.advance(Duration.ofSeconds(5));
        assertThat(d.failed("10.0.0.1", null)).isFalse();
        assertThat(remaining("10.0.0.1")).isLessThanOrEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5).plusMillis(50));
        assertThat(d.isSourceBanned("10.0.0.1")).isFalse();
    }

    @Test
    void banGrowsOnEachRepeatByTheMultiplierUpToTheCap() {
        long[] expected = {10, 20, 40, 60, 60};
        for (long seconds : expected) {
            ban("10.0.0.1");
            assertThat(remaining("10.0.0.1")).as("ban of %ss", seconds)
                    .isBetween(Duration.ofSeconds(seconds).minusMillis(500), Duration.ofSeconds(seconds));
            clock.advance(Duration.ofSeconds(seconds).plusMillis(1));
            assertThat(d.isSourceBanned("10.0.0.1")).isFalse();
        }
    }

    @Test
    void passwordGuessingSpreadOverSourcesBlocksTheAccountsPasswordsButNoSource() {
        d.failed("10.0.0.1", "alice");
        d.failed("10.0.0.2", "alice");
        d.failed("10.0.0.3", "alice");
        assertThat(d.arePasswordsBlocked("alice")).isTrue();
        assertThat(d.arePasswordsBlocked("bob")).isFalse();
        // Key logins consult only the source (KeyAuthenticator): none of the sources is banned.
        assertThat(d.isSourceBanned("10.0.0.1")).isFalse();
        assertThat(d.isSourceBanned("10.0.0.2")).isFalse();
        assertThat(d.isSourceBanned("10.0.0.3")).isFalse();
        clock.advance(Duration.ofSeconds(11));
        assertThat(d.arePasswordsBlocked("alice")).isFalse();
    }

    @Test
    void aDisabledDefenderNeverBans() {
        LoginDefender off = new LoginDefender(false, 1, Duration.ofMinutes(5), Duration.ofSeconds(10), 2.0,
                Duration.ofSeconds(60), clock);
        for (int i = 0; i < 20; i++) {
            assertThat(off.failed("10.0.0.1", "alice")).isFalse();
        }
        assertThat(off.isSourceBanned("10.0.0.1")).isFalse();
        assertThat(off.arePasswordsBlocked("alice")).isFalse();
    }

    @Test
    void multiplierOneKeepsTheBanConstant() {
        LoginDefender flat = new LoginDefender(true, 1, Duration.ofMinutes(5), Duration.ofSeconds(10), 1.0,
                Duration.ofSeconds(60), clock);
        for (int i = 0; i < 4; i++) {
            assertThat(flat.failed("10.0.0.9", null)).isTrue();
            assertThat(Duration.between(clock.instant(), flat.bannedUntil("10.0.0.9")))
                    .isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(11));
        }
    }

    private void ban(String source) {
        boolean banned = false;
        for (int i = 0; i < 3; i++) {
            banned = d.failed(source, null);
        }
        assertThat(banned).isTrue();
        assertThat(d.isSourceBanned(source)).isTrue();
    }
}
