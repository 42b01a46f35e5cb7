package fi.callgate.gateway.commands;

import fi.callgate.gateway.accounts.Account;
import fi.callgate.gateway.accounts.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One command run: who runs it, from where, its standard streams and whether the answer is wanted as
 * JSON. Standard input is bounded: commands read a key, a password or a list of numbers, never a file.
 */
public record CommandContext(Account caller, String source, InputStream stdin, PrintWriter out, boolean json,
                             Output output) {

    static final int MAX_STDIN_LINE = 64 * 1024;

    public void require(Role... roles) {
        if (Arrays.stream(roles).noneMatch(r -> r == caller.role())) {
            throw CommandFailure.denied("this command is not available to the " + caller.role().code() + " role");
        }
    }

    /** Standard input streamed line by line (each line at most {@value #MAX_STDIN_LINE} characters). */
    public StdinLines stdinLines() {
        return new StdinLines(stdin, MAX_STDIN_LINE);
    }

    /** Everything on stdin up to {@code maxBytes}, as UTF-8 text; more is an error, not a truncation. */
    public String readStdin(int maxBytes) {
        try {
            byte[] bytes = stdin.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw CommandFailure.invalid("standard input is longer than " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CommandFailure.invalid("could not read standard input: " + e.getMessage());
        }
    }
}
