package fi.callgate.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of {@code GET /metrics} in the Prometheus text format, read just enough for tests: the series
 * (name, label text, value) and the set of series names.
 */
public final class MetricsScrape {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Sample(String name, String labels, double value) {
    }

    public final String text;
    public final String contentType;
    private final List<Sample> samples = new ArrayList<>();

    private MetricsScrape(String text, String contentType) {
        this.text = text;
        this.contentType = contentType;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            samples.add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), number(m.group(3))));
        }
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    public static MetricsScrape parse(String text) {
        return new MetricsScrape(text, "");
    }

    /** {@code GET http://127.0.0.1:PORT/metrics} with Java's HTTP client; fails unless 200. */
    public static MetricsScrape fetch(int port) {
        HttpResponse<String> r = get(port, "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + r.statusCode() + ": " + r.body());
        }
        return new MetricsScrape(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    public static HttpResponse<String> send(int port, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("management request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every series name (counters with {@code _total}, histograms with {@code _bucket/_count/_sum}). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The value of the one series with this name whose label text contains {@code labelPart}. */
    public double value(String name, String labelPart) {
        List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().contains(labelPart))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one series " + name + " with " + labelPart + ", found " + found);
        }
        return found.get(0).value();
    }

    public double value(String name) {
        return value(name, "");
    }
}
