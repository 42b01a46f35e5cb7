package fi.callgate.gateway.boot;

import java.util.Locale;

/**
 * One documented configuration key: its dotted name, default (null = none), and whether its value is a
 * secret that must never be logged. The environment variable is derived from the name, as CONTRACT §1
 * fixes it: {@code sftp.port} -> {@code CALLGATE_SFTP_PORT}.
 */
record ConfigKey(String name, String defaultValue, boolean secret) {

    String environmentVariable() {
        return "CALLGATE_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
