package fi.callgate.dialer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push mode for one {@link Kind}: a campaign's lists to the dialer's own SFTP server ({@link Kind#DIALER}),
 * or its exports to the controller's ({@link Kind#CONTROLLER}), in addition to publishing them in the
 * campaign's folders. Targets live in {@link PushTargets}, queued files in the durable {@link PushQueue};
 * the sending, redelivery and stall watchdog are the {@link PushRoute} in the appliance's Camel context.
 * Each failure counts in {@code callgate_push_failures_total{target,reason}} and the last outcome is kept
 * for {@code campaign show}. Exports are already encrypted to the controller and signed, and stay in the
 * outbox whatever the push does.
 */
public final class DialerPush {
    private static final Logger log = LoggerFactory.getLogger(DialerPush.class);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[?[0-9a-fA-F:]+]?");
    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9._\\-/]{0,255}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");

    /** What is pushed where: the metric's {@code target} label, audit action, status keys and known-hosts file. */
    public enum Kind {
        DIALER("dialer", "dialer.list.push", "push_", ""),
        CONTROLLER("controller", "export.push", "controller_push_", ".controller");

        final String metricTarget;
        final String action;
        final String statusPrefix;
        final String knownHostsSuffix;

        Kind(String metricTarget, String action, String statusPrefix, String knownHostsSuffix) {
            this.metricTarget = metricTarget;
            this.action = action;
            this.statusPrefix = statusPrefix;
            this.knownHostsSuffix = knownHostsSuffix;
        }
    }

    /** A campaign's push target. */
    public record Target(String campaign, String host, int port, String user, String directory, String location,
                         String hostKeyLine) {
        public Target {
            if (!HOST.matcher(host).matches() || port < 1 || port > 65535 || !USER.matcher(user).matches()
                    || !DIR.matcher(directory).matches() || directory.contains("..")) {
                throw new IllegalArgumentException("push target: invalid host, port, user or directory");
            }
            String[] key = hostKeyLine.strip().split("\\s+");
            if (key.length < 2 || !key[0].matches("ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|rsa-sha2-(256|512)|ssh-rsa")) {
                throw new IllegalArgumentException("push target: the host key must be an OpenSSH public key line");
            }
        }
    }

    /** Opens the plaintext of a list (or the bytes of an export) for sending. */
    @FunctionalInterface
    public interface ListSource {
        InputStream open(String campaign, String fileName) throws IOException;
    }

    private final Kind kind;
    private final PushTargets targets;
    private final PushQueue queue;
    private final PushRoute route;

    public DialerPush(Kind kind, PushTargets targets, PushQueue queue, PushRoute route) {
        this.kind = kind;
        this.targets = targets;
        this.queue = queue;
        this.route = route;
    }

    public Kind kind() {
        return kind;
    }

    public void configure(Target t) {
        targets.configure(kind, t);
    }

    public void disable(String campaign) {
        targets.disable(kind, campaign);
    }

    public Optional<Target> target(String campaign) {
        return targets.find(kind, campaign);
    }

    /** For {@code campaign show}: target and last outcome; empty if the campaign does not push. */
    public Map<String, Object> status(String campaign) {
        return targets.status(kind, campaign);
    }

    /** Callgate's push public key (OpenSSH line), to authorise on the target's SFTP server. */
    public String publicKey() throws IOException {
        return route.publicKey();
    }

    /**
     * Queues a file for pushing if its campaign pushes; returns at once. The queue entry is durable
     * ({@code push_queue}): it stays until the file is pushed, refused for good or gone, and {@link #resume}
     * queues it again after a restart.
     */
    public void submit(String campaign, String fileName, ListSource source) {
        if (target(campaign).isPresent()) {
            queue.add(kind, campaign, fileName);
            route.offer(new PushRoute.Job(kind, campaign, fileName, source));
        }
    }

    /**
     * Queues again every push a stop or a kill left undone (run once at start, after the push route is in
     * the context, by the owner of the files, with the same source it submits with). Entries whose campaign
     * no longer pushes, or whose file is gone (shredded meanwhile), are dropped.
     *
     * @return how many pushes were queued again
     */
    public int resume(ListSource source) {
        int n = 0;
        for (PushQueue.Entry p : queue.pending(kind)) {
            if (target(p.campaign()).isEmpty() || !exists(source, p.campaign(), p.fileName())) {
                queue.done(kind, p.campaign(), p.fileName());
                continue;
            }
            route.offer(new PushRoute.Job(kind, p.campaign(), p.fileName(), source));
            n++;
        }
        if (n > 0) {
            log.info("{} unfinished push(es) to the {} queued again", n, kind.metricTarget);
        }
        return n;
    }

    private static boolean exists(ListSource source, String campaign, String fileName) {
        try (InputStream in = source.open(campaign, fileName)) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
