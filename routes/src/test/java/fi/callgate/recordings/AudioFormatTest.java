package fi.callgate.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Audio is recognised by its first bytes; text, archives and look-alikes are not audio. */
class AudioFormatTest {
    static byte[] head(String ascii, int... rest) {
        byte[] a = ascii.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[AudioFormat.HEAD];
        System.arraycopy(a, 0, b, 0, Math.min(a.length, b.length));
        for (int i = 0; i < rest.length; i++) {
            b[a.length + i] = (byte) rest[i];
        }
        return b;
    }

    @Test
    void theFourFormatsAreRecognised() {
        assertThat(AudioFormat.sniff(head("RIFF\0\0\0\0WAVE"))).contains(AudioFormat.WAV);
        assertThat(AudioFormat.sniff(head("ID3\u0004"))).contains(AudioFormat.MP3);
        assertThat(AudioFormat.sniff(head("", 0xFF, 0xFB, 0x90, 0x64))).contains(AudioFormat.MP3);
        assertThat(AudioFormat.sniff(head("OggS\0\u0002"))).contains(AudioFormat.OGG);
        assertThat(AudioFormat.sniff(head("fLaC\0\0\0\u0010"))).contains(AudioFormat.FLAC);
        assertThat(AudioFormat.OGG.hasExtension("opus")).isTrue();
        assertThat(AudioFormat.OGG.hasExtension("OGG")).isTrue();
    }

    @Test
    void otherContentIsNotAudio() {
        assertThat(AudioFormat.sniff(head("first_name;"))).isEmpty();
        assertThat(AudioFormat.sniff(head("RIFF\0\0\0\0AVI "))).isEmpty();
        assertThat(AudioFormat.sniff(head("PK\u0003\u0004"))).isEmpty();
        assertThat(AudioFormat.sniff(head("", 0xFF, 0xFF, 0xFF))).as("no valid MPEG version/layer").isEmpty();
        assertThat(AudioFormat.sniff(new byte[2])).isEmpty();
        assertThat(AudioFormat.isKnownExtension("exe")).isFalse();
    }
}
