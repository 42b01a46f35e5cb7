package fi.callgate.pipeline;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes camel-micrometer's route meters pass Prometheus' naming rules (promtool check metrics): its tag
 * keys are camelCase ({@code routeId}, {@code camelContext}) and become snake_case; its {@code app.info}
 * gauge has no help text and tells nothing Callgate needs, so it is dropped.
 */
final class CamelMeterNames implements MeterFilter {
    @Override
    public io.micrometer.core.instrument.config.MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals("app.info") ? io.micrometer.core.instrument.config.MeterFilterReply.DENY
                : io.micrometer.core.instrument.config.MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("camel")) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        for (Tag t : id.getTagsAsIterable()) {
            tags.add(Tag.of(snake(t.getKey()), t.getValue()));
        }
        return id.replaceTags(tags);
    }

    static String snake(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
