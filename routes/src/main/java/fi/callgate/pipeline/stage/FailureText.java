package fi.callgate.pipeline.stage;

import fi.callgate.audit.SafeText;

/**
 * A failure as the log and the upload row keep it: the exception's class and message (its root cause's too),
 * on one line, escaped and shortened. Messages carry ids and paths under data-dir, never file content.
 */
public final class FailureText {
    static final int MAX = 480;

    private FailureText() {
    }

    public static String of(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getName()).append(": ").append(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            sb.append(" (caused by ").append(root.getClass().getName()).append(": ").append(root.getMessage()).append(')');
        }
        return SafeText.of(sb.toString(), MAX);
    }
}
