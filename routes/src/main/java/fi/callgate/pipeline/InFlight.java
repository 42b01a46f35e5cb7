package fi.callgate.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upload ids being processed right now. An upload announced twice (by the drop point and by the resume
 * timer, say) is processed by one consumer only; the other announcement is dropped.
 */
public final class InFlight {
    private final Set<String> ids = ConcurrentHashMap.newKeySet();

    public boolean claim(String uploadId) {
        return ids.add(uploadId);
    }

    public void release(String uploadId) {
        ids.remove(uploadId);
    }

    public boolean isIdle() {
        return ids.isEmpty();
    }
}
