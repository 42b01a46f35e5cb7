package fi.callgate.recordings;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The audio a recording may be, recognised by its first bytes (never by its name alone): WAV (RIFF/WAVE),
 * MP3 (an ID3 tag or an MPEG audio frame sync), Ogg (Vorbis or Opus) and FLAC. The name's extension must
 * agree with the content.
 */
public enum AudioFormat {
    WAV(List.of("wav")), MP3(List.of("mp3")), OGG(List.of("ogg", "opus")), FLAC(List.of("flac"));

    /** Bytes needed to tell the formats apart. */
    public static final int HEAD = 12;
    private final List<String> extensions;

    AudioFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    public boolean hasExtension(String ext) {
        return extensions.contains(ext.toLowerCase(Locale.ROOT));
    }

    public static boolean isKnownExtension(String ext) {
        return List.of(values()).stream().anyMatch(f -> f.hasExtension(ext));
    }

    /** The format of content starting with {@code head}; empty for anything that is not one of these. */
    public static Optional<AudioFormat> sniff(byte[] head) {
        if (head.length >= 12 && ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
            return Optional.of(WAV);
        }
        if (head.length >= 4 && ascii(head, 0, "fLaC")) {
            return Optional.of(FLAC);
        }
        if (head.length >= 4 && ascii(head, 0, "OggS")) {
            return Optional.of(OGG);
        }
        if (head.length >= 3 && ascii(head, 0, "ID3")) {
            return Optional.of(MP3);
        }
        // MPEG audio frame header: 11 sync bits, a valid version (not 01), layer III (01), a usable bitrate.
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x18) != 0x08
                && (head[1] & 0x06) == 0x02 && (head[2] & 0xF0) != 0xF0) {
            return Optional.of(MP3);
        }
        return Optional.empty();
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
