package fi.callgate.gateway.boot;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Defaults in code, then the YAML file, then {@code CALLGATE_*} environment variables; then every value is
 * parsed and checked, and the first bad one stops start-up with a one-line message naming the key. The
 * effective configuration is logged with secrets redacted. Unknown keys in the file are errors, because a
 * misspelt key silently keeping its default is how retention limits get lost.
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    static final List<ConfigKey> KEYS = List.of(
            new ConfigKey("data-dir", "./data", false),
            new ConfigKey("storage.location", "FI", false),
            new ConfigKey("master-key.file", "./keys/master.key", false),
            new ConfigKey("master-key.value", null, true),
            new ConfigKey("sftp.host", "0.0.0.0", false),
            new ConfigKey("sftp.port", "2222", false),
            new ConfigKey("sftp.max-sessions", "200", false),
            new ConfigKey("sftp.max-sessions-per-account", "8", false),
            new ConfigKey("sftp.max-sessions-per-ip", "20", false),
            new ConfigKey("sftp.max-startups", "10:30:100", false),
            new ConfigKey("sftp.max-startups-per-ip", "10", false),
            new ConfigKey("sftp.auth-timeout", "PT30S", false),
            new ConfigKey("sftp.max-auth-attempts", "6", false),
            new ConfigKey("sftp.idle-timeout", "PT10M", false),
            new ConfigKey("sftp.max-session-age", "PT12H", false),
            new ConfigKey("sftp.max-open-handles", "16", false),
            new ConfigKey("sftp.max-upload-bytes", "4294967296", false),
            new ConfigKey("sftp.max-bytes-in-flight-per-account", "8589934592", false),
            new ConfigKey("intake.max-plaintext-bytes", "2147483648", false),
            new ConfigKey("intake.max-compression-ratio", "100", false),
            new ConfigKey("intake.max-attempts", "5", false),
            new ConfigKey("defender.enabled", "true", false),
            new ConfigKey("defender.threshold", "10", false),
            new ConfigKey("defender.observation-window", "PT5M", false),
            new ConfigKey("defender.ban-time", "PT15M", false),
            new ConfigKey("defender.ban-time-multiplier", "2", false),
            new ConfigKey("defender.max-ban-time", "PT24H", false),
            new ConfigKey("management.host", "127.0.0.1", false),
            new ConfigKey("management.port", "9464", false),
            new ConfigKey("bootstrap-admin.name", null, false),
            new ConfigKey("bootstrap-admin.public-key", null, false),
            new ConfigKey("retention.default-days", "120", false),
            new ConfigKey("retention.max-days", "183", false),
            new ConfigKey("retention.personal-id-days", "30", false),
            new ConfigKey("shredder.interval", "PT1M", false),
            new ConfigKey("export.interval", "PT15M", false),
            new ConfigKey("export.keep-after-download", "P7D", false),
            new ConfigKey("export.max-age", "P30D", false),
            new ConfigKey("push.stall-timeout", "PT60S", false),
            new ConfigKey("logging.format", "text", false));

    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,31}");

    private ConfigLoader() {
    }

    /** Loads {@code file} (which must exist when given explicitly) with the process environment. */
    public static CallgateConfig load(Path file, Map<String, String> env) {
        Map<String, String> values = new TreeMap<>();
        for (ConfigKey k : KEYS) {
            if (k.defaultValue() != null) {
                values.put(k.name(), k.defaultValue());
            }
        }
        if (file != null) {
            values.putAll(readYaml(file));
        }
        for (ConfigKey k : KEYS) {
            String v = env.get(k.environmentVariable());
            if (v != null) {
                values.put(k.name(), v);
            }
        }
        // The master key itself has a short, documented variable name of its own.
        if (env.containsKey("CALLGATE_MASTER_KEY")) {
            values.put("master-key.value", env.get("CALLGATE_MASTER_KEY"));
        }
        CallgateConfig config = build(values);
        logRedacted(values);
        return config;
    }

    private static CallgateConfig build(Map<String, String> v) {
        Values in = new Values(v);
        Optional<String> adminName = in.optional("bootstrap-admin.name");
        Optional<String> adminKey = in.optional("bootstrap-admin.public-key");
        if (adminName.isPresent() != adminKey.isPresent()) {
            throw new ConfigException(adminName.isPresent() ? "bootstrap-admin.public-key" : "bootstrap-admin.name",
                    "bootstrap-admin needs both name and public-key");
        }
        adminName.ifPresent(n -> {
            if (!ACCOUNT_NAME.matcher(n).matches()) {
                throw new ConfigException("bootstrap-admin.name",
                        "must be 1-32 of a-z 0-9 . _ - starting with a letter, got \"" + n + "\"");
            }
        });
        int maxDays = in.intIn("retention.max-days", 1, 183);
        int defaultDays = in.intIn("retention.default-days", 1, 183);
        if (defaultDays > maxDays) {
            throw new ConfigException("retention.default-days",
                    "must not exceed retention.max-days (" + maxDays + "), got " + defaultDays);
        }
        int personalIdDays = in.intIn("retention.personal-id-days", 1, maxDays);
        String location = in.required("storage.location").strip();
        if (location.isEmpty()) {
            throw new ConfigException("storage.location", "must name a country or cloud region");
        }
        String format = in.required("logging.format");
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException("logging.format", "must be text or json, got \"" + format + "\"");
        }
        return new CallgateConfig(
                in.path("data-dir"),
                location,
                in.path("master-key.file"),
                in.optional("master-key.value"),
                new CallgateConfig.Sftp(in.required("sftp.host"), in.intIn("sftp.port", 0, 65535),
                        in.intIn("sftp.max-sessions", 1, 100_000),
                        in.intIn("sftp.max-sessions-per-account", 1, 1000),
                        in.intIn("sftp.max-sessions-per-ip", 1, 10_000),
                        in.durationIn("sftp.auth-timeout", Duration.ofSeconds(1), Duration.ofSeconds(30)),
                        in.intIn("sftp.max-auth-attempts", 1, 6),
                        in.durationIn("sftp.idle-timeout", Duration.ofSeconds(1), Duration.ofHours(24)),
                        in.durationIn("sftp.max-session-age", Duration.ofSeconds(1), Duration.ofDays(7)),
                        in.intIn("sftp.max-open-handles", 1, 1024),
                        in.longIn("sftp.max-upload-bytes", 1, Long.MAX_VALUE),
                        in.longIn("sftp.max-bytes-in-flight-per-account", 1, Long.MAX_VALUE),
                        preAuthLimits(in)),
                new CallgateConfig.Intake(in.longIn("intake.max-plaintext-bytes", 1, Long.MAX_VALUE),
                        in.doubleIn("intake.max-compression-ratio", 1.0, 100_000.0),
                        in.intIn("intake.max-attempts", 1, 100)),
                new CallgateConfig.Defender(in.bool("defender.enabled"), in.intIn("defender.threshold", 1, 1000),
                        in.durationIn("defender.observation-window", Duration.ofSeconds(1), Duration.ofDays(1)),
                        in.durationIn("defender.ban-time", Duration.ofMillis(100), Duration.ofDays(30)),
                        in.doubleIn("defender.ban-time-multiplier", 1.0, 100.0),
                        in.durationIn("defender.max-ban-time", Duration.ofMillis(100), Duration.ofDays(365))),
                new CallgateConfig.Management(in.required("management.host"), in.intIn("management.port", 0, 65535)),
                adminName.map(n -> new CallgateConfig.BootstrapAdmin(n, adminKey.get().strip())),
                new CallgateConfig.Retention(defaultDays, maxDays, personalIdDays),
                in.durationIn("shredder.interval", Duration.ofMillis(100), Duration.ofDays(1)),
                format,
                new CallgateConfig.Export(in.durationIn("export.interval", Duration.ofMillis(100), Duration.ofDays(1)),
                        in.durationIn("export.keep-after-download", Duration.ZERO, Duration.ofDays(30)),
                        in.durationIn("export.max-age", Duration.ofMinutes(1), Duration.ofDays(30))),
                in.durationIn("push.stall-timeout", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config", "file " + file + " does not exist");
        }
        Object root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            // SafeConstructor: plain maps, lists and scalars only; no type tags, nothing instantiated.
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage().lines()
                    .findFirst().orElse(""));
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map)) {
            throw new ConfigException("--config", file + " must be a YAML mapping");
        }
        flatten("", (Map<Object, Object>) root, flat);
        for (String key : flat.keySet()) {
            if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
                throw new ConfigException(key, "unknown key in " + file.getFileName());
            }
        }
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<Object, Object> map, Map<String, String> out) {
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map) {
                flatten(key + ".", (Map<Object, Object>) e.getValue(), out);
            } else if (e.getValue() != null) {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }

    private static void logRedacted(Map<String, String> values) {
        for (ConfigKey k : KEYS) {
            String v = values.get(k.name());
            if (v != null) {
                log.info("config {} = {}", k.name(), k.secret() ? "<redacted>" : v);
            }
        }
    }

    /** The pre-authentication budget: OpenSSH's MaxStartups start:rate:full, plus a cap per source. */
    private static fi.callgate.gateway.accounts.PreAuthBudget.Limits preAuthLimits(Values in) {
        int perIp = in.intIn("sftp.max-startups-per-ip", 1, 10_000);
        String s = in.required("sftp.max-startups");
        try {
            return fi.callgate.gateway.accounts.PreAuthBudget.Limits.parse(s, perIp);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sftp.max-startups", "must be start:rate:full with 1 <= start <= full and"
                    + " 0 <= rate <= 100 (OpenSSH's MaxStartups), got \"" + s + "\"");
        }
    }

    /** Typed access with messages that name the key. */
    private record Values(Map<String, String> raw) {
        Optional<String> optional(String key) {
            return Optional.ofNullable(raw.get(key)).filter(s -> !s.isBlank());
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> new ConfigException(key, "is required"));
        }

        Path path(String key) {
            try {
                Path p = Path.of(required(key));
                return (p.isAbsolute() ? p : Path.of("").toAbsolutePath().resolve(p)).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(key, "is not a valid path: " + e.getMessage());
            }
        }

        int intIn(String key, int min, int max) {
            long v = longIn(key, min, max);
            return (int) v;
        }

        long longIn(String key, long min, long max) {
            String s = required(key).strip();
            try {
                long v = Long.parseLong(s.replace("_", ""));
                if (v < min || v > max) {
                    throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a whole number, got \"" + s + "\"");
            }
        }

        double doubleIn(String key, double min, double max) {
            String s = required(key).strip();
            try {
                double v = Double.parseDouble(s);
                if (!(v >= min && v <= max)) {
                    throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + s);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ConfigException(key, "must be a number, got \"" + s + "\"");
            }
        }

        boolean bool(String key) {
            String s = required(key).strip();
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw new ConfigException(key, "must be true or false, got \"" + s + "\"");
        }

        Duration durationIn(String key, Duration min, Duration max) {
            String s = required(key).strip();
            try {
                Duration d = Duration.parse(s);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + s);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, "must be an ISO-8601 duration such as PT1M, got \"" + s + "\"");
            }
        }
    }
}
