package fi.callgate.agreement;

import java.io.IOException;
import java.io.OutputStream;

/** How a file for one party is sealed with the method agreed with it. */
public interface Envelope {
    /** Appended to the plaintext's name: {@code .gpg} or {@code .zip}. */
    String suffix();

    /** The stream to write the plaintext to; closing it finishes the sealed file in {@code target}. */
    OutputStream open(OutputStream target, String innerName) throws IOException;
}
