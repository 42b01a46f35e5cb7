package fi.callgate.results;

import fi.callgate.store.DataKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one result carries to its export, as named fields: the person's data as stored ({@code first_name},
 * {@code phone}, {@code source}, …) and the order or address change ({@code product}, {@code new_street},
 * …). Everything here may be personal data, so it exists only sealed under the campaign's data key; the
 * AAD binds it to its campaign, results upload and row, so a sealed value cannot be moved to another row.
 * {@link #toString()} names no value.
 */
public final class ResultDetails {
    private final Map<String, String> fields;

    public ResultDetails(Map<String, String> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String get(String name) {
        return fields.get(name);
    }

    public Map<String, String> fields() {
        return fields;
    }

    public byte[] seal(DataKey key, String campaign, String uploadId, long row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(fields.size());
            for (Map.Entry<String, String> e : fields.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] v = e.getValue() == null ? null : e.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeInt(v == null ? -1 : v.length);
                if (v != null) {
                    out.write(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return key.seal(bytes.toByteArray(), aad(campaign, uploadId, row));
    }

    public static ResultDetails open(DataKey key, String campaign, String uploadId, long row, byte[] sealed) {
        byte[] plain = key.open(sealed, aad(campaign, uploadId, row));
        Map<String, String> m = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                String value = null;
                if (len >= 0) {
                    value = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                }
                m.put(name, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ResultDetails(m);
    }

    private static byte[] aad(String campaign, String uploadId, long row) {
        return ("callgate-result|" + campaign + "|" + uploadId + "|" + row).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ResultDetails" + fields.keySet();
    }
}
