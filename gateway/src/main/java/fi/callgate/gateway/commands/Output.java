package fi.callgate.gateway.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes a command's answer: aligned text columns for people, or the same data as JSON with
 * {@code --json}. Commands build plain maps and lists; only this class knows the formats.
 */
public final class Output {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** A table of rows with the given columns. */
    public void table(CommandContext ctx, List<String> columns, List<Map<String, Object>> rows) {
        PrintWriter out = ctx.out();
        if (ctx.json()) {
            json(out, rows);
            return;
        }
        int[] widths = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            widths[i] = columns.get(i).length();
            for (Map<String, Object> row : rows) {
                widths[i] = Math.max(widths[i], text(row.get(columns.get(i))).length());
            }
        }
        line(out, columns.stream().map(c -> (Object) c).toList(), widths);
        for (Map<String, Object> row : rows) {
            line(out, columns.stream().map(row::get).toList(), widths);
        }
    }

    /** One object: "key: value" lines, or a JSON object. */
    public void object(CommandContext ctx, Map<String, Object> fields) {
        if (ctx.json()) {
            json(ctx.out(), fields);
            return;
        }
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((k, v) -> ctx.out().println(String.format("%-" + width + "s  %s", k, text(v))));
    }

    /** A short confirmation; as JSON {"ok":true,"message":...}. */
    public void message(CommandContext ctx, String message) {
        if (ctx.json()) {
            json(ctx.out(), Map.of("ok", true, "message", message));
        } else {
            ctx.out().println(message);
        }
    }

    /** Raw text (a key block) that is the same in both modes, wrapped in JSON when asked. */
    public void raw(CommandContext ctx, String field, String text) {
        if (ctx.json()) {
            json(ctx.out(), Map.of(field, text));
        } else {
            ctx.out().print(text.endsWith("\n") ? text : text + "\n");
        }
    }

    private static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void line(PrintWriter out, List<Object> values, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String t = text(values.get(i));
            sb.append(t);
            if (i < values.size() - 1) {
                sb.append(" ".repeat(widths[i] - t.length() + 2));
            }
        }
        out.println(sb.toString().stripTrailing());
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            return String.join(",", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(v);
    }
}
