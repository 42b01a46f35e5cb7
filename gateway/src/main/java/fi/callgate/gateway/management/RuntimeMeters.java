package fi.callgate.gateway.management;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;

/**
 * Micrometer's JVM and process meters (memory, GC, threads, class loading, CPU, uptime, open files) on the
 * one registry, for the dashboard's JVM row. Closing unhooks the GC listener.
 */
public final class RuntimeMeters implements AutoCloseable {
    /**
     * Two of ProcessorMetrics' meters break Prometheus' naming rules (promtool check metrics rejects
     * "process_cpu_time_ns_total" and "system_cpu_count"); process_cpu_usage, system_cpu_usage and
     * system_load_average_1m carry what the dashboard needs, so these two are left out. Configured on the
     * registry when it is created ({@link MeterRegistries}), before any meter.
     */
    static final List<MeterFilter> FILTERS = List.of(MeterFilter.denyNameStartsWith("process.cpu.time"),
            MeterFilter.deny(id -> id.getName().equals("system.cpu.count")));
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private RuntimeMeters() {
    }

    public static RuntimeMeters bindTo(MeterRegistry registry) {
        RuntimeMeters meters = new RuntimeMeters();
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        meters.gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return meters;
    }

    @Override
    public void close() {
        gc.close();
    }
}
