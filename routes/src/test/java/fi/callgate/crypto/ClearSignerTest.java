package fi.callgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClearSignerTest {
    @Test
    void gnupgVerifiesAClearSignedReceiptWithDashesAndTrailingWhitespace() throws Exception {
        GatewayKey gateway = GatewayKey.generateInMemory("Callgate gateway <gateway@callgate.test>");
        String text = "Deletion receipt  \n"
                + "-----BEGIN PGP SIGNATURE----- (not really)\n"
                + "- a dash line\t \n"
                + "--\n"
                + "From the start\r\n"
                + "\n"
                + "sha256: 3f0a...  \n"
                + "Ääkköset: ok\n";
        String signed = ClearSigner.clearSign(text, gateway);
        assertThat(signed).startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n");
        assertThat(signed).contains("\n- -----BEGIN PGP SIGNATURE----- (not really)\n").contains("\n- - a dash line\n");
        try (GnuPg gpg = GnuPg.newHome()) {
            gpg.importKey(gateway.armoredPublicKey());
            Path file = gpg.file("receipt.txt.asc", signed.getBytes(StandardCharsets.UTF_8));
            GnuPg.Result r = gpg.verify(file);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.status("VALIDSIG")).singleElement()
                    .satisfies(s -> assertThat(s.split(" ")[1]).isEqualTo(gateway.fingerprint()))
                    .satisfies(s -> assertThat(s.split(" ")[8]).isEqualTo("8"));
            // what gpg extracts is the text without trailing whitespace
            String extracted = gpg.decrypt(file).requireOk().stdoutText();
            assertThat(extracted).isEqualTo("Deletion receipt\n-----BEGIN PGP SIGNATURE----- (not really)\n- a dash line\n--\n"
                    + "From the start\n\nsha256: 3f0a...\nÄäkköset: ok\n");

            // a modified body fails
            Path forged = gpg.file("forged.asc", signed.replace("Ääkköset: ok", "Ääkköset: no").getBytes(StandardCharsets.UTF_8));
            GnuPg.Result bad = gpg.verify(forged);
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.status("BADSIG")).isNotEmpty();
        }
    }
}
