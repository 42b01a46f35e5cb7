package fi.callgate.gateway.boot;

/** A configuration value that cannot be used; the message names the key and why, on one line. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String why) {
        super("config " + key + ": " + why);
    }
}
