package fi.callgate.fuzz;

import java.util.Map;
import java.util.TreeMap;

/** Counts executions per fuzz target, printed after each class so a run shows it did real work. */
public final class FuzzCounts {
    private static final Map<String, long[]> COUNTS = new TreeMap<>();

    private FuzzCounts() {
    }

    public static synchronized void hit(String target, String outcome) {
        COUNTS.computeIfAbsent(target + " " + outcome, k -> new long[1])[0]++;
    }

    public static synchronized void print(String prefix) {
        COUNTS.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                System.out.println("[fuzz] " + k + " = " + v[0]);
            }
        });
    }
}
