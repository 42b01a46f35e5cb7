package fi.callgate.gateway.commands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Standard input one line at a time, for commands that take long lists ({@code blocklist import} of a
 * million numbers): memory is one line, however long the input. A line longer than the bound is an
 * error, not a truncation; a BOM at the start and CR before LF are dropped.
 */
public final class StdinLines {
    private final BufferedReader in;
    private final int maxLine;
    private final StringBuilder line = new StringBuilder(64);
    private long number;

    StdinLines(InputStream stdin, int maxLine) {
        this.in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8), 1 << 16);
        this.maxLine = maxLine;
    }

    /** The next line without its terminator, or null at the end of input. */
    public String next() {
        line.setLength(0);
        try {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            number++;
            while (c >= 0 && c != '\n') {
                if (line.length() >= maxLine) {
                    throw CommandFailure.invalid("line " + number + " of standard input is longer than "
                            + maxLine + " characters");
                }
                line.append((char) c);
                c = in.read();
            }
        } catch (IOException e) {
            throw CommandFailure.invalid("could not read standard input: " + e.getMessage());
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        if (number == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') {
            line.deleteCharAt(0);
        }
        return line.toString();
    }

    /** The number of the line last returned (1-based). */
    public long lineNumber() {
        return number;
    }
}
