package fi.callgate.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile checked without a Docker engine: the same promises docker/build-steps.sh checks, in
 * Java, plus a run of that script.
 */
class DockerfileTest {

    /** One Dockerfile instruction: upper-case keyword and its arguments, continuations joined. */
    record Instruction(String keyword, String args) {
    }

    private final List<Instruction> all = parse(RepoFiles.read(RepoFiles.docker("Dockerfile")));
    private final List<Instruction> runtime = finalStage(all);

    @Test
    void isMultiStageFromMavenToAJre() {
        List<String> froms = all.stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::args).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).matches("(?i)maven:3\\.9-eclipse-temurin-17\\s+AS\\s+build");
        assertThat(froms.get(1)).startsWith("eclipse-temurin:17-jre");
        assertThat(all).anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("mvn -B -q package -DskipTests"));
    }

    @Test
    void runsAsTheNonRootCallgateUser() {
        List<String> users = args("USER");
        assertThat(users).as("USER in the runtime stage").isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        assertThat(user).isNotIn("root", "0");
        String setup = String.join("\n", args("RUN"));
        assertThat(setup).contains("useradd").contains("--uid 10001").contains("callgate");
        if (user.chars().allMatch(Character::isDigit)) {
            assertThat(user).isEqualTo("10001");
        } else {
            assertThat(user).isEqualTo("callgate");
        }
    }

    @Test
    void healthcheckProbesTheHealthEndpoint() {
        assertThat(args("HEALTHCHECK")).singleElement().asString()
                .contains("CMD").contains("http://127.0.0.1:9464/health").contains("curl -fsS");
        assertThat(String.join(" ", args("RUN"))).as("curl is installed for the healthcheck").contains("install")
                .contains("curl");
    }

    @Test
    void exposesSftpAndManagementPorts() {
        List<String> ports = args("EXPOSE").stream().flatMap(a -> Arrays.stream(a.split("\\s+")))
                .map(p -> p.replace("/tcp", "")).toList();
        assertThat(ports).contains("2222", "9464");
    }

    @Test
    void entrypointServesTheShadedJar() throws IOException {
        List<String> entry = args("ENTRYPOINT");
        assertThat(entry).hasSize(1);
        String[] exec = new ObjectMapper().readValue(entry.get(0), String[].class);
        assertThat(exec).containsExactly("java", "-jar", "/opt/callgate/callgate.jar", "serve");

        String pom = RepoFiles.read(RepoFiles.root().resolve("gateway/pom.xml"));
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).as("shade finalName in gateway/pom.xml").isTrue();
        String jar = "/src/gateway/target/" + finalName.group(1) + ".jar";
        assertThat(args("COPY")).anyMatch(c -> c.startsWith("--from=build " + jar + " /opt/callgate/callgate.jar"));
    }

    @Test
    void configuresByEnvironmentWithTheMasterKeyOutsideDataDir() {
        String env = String.join(" ", args("ENV"));
        String dataDir = envValue(env, "CALLGATE_DATA_DIR");
        String keyFile = envValue(env, "CALLGATE_MASTER_KEY_FILE");
        assertThat(dataDir).isEqualTo("/var/lib/callgate/data");
        assertThat(keyFile).startsWith("/").doesNotStartWith(dataDir + "/");
        assertThat(String.join(" ", args("VOLUME"))).contains("/var/lib/callgate/data").contains("/var/lib/callgate/keys");
        assertThat(args("COPY")).anyMatch(c -> c.endsWith("/opt/callgate/config/callgate.yaml"));
    }

    @Test
    void copiesFromTheBuildContextExist() {
        Assumptions.assumeTrue(Files.isDirectory(RepoFiles.root().resolve("config")),
                "config/ (with callgate.yaml) is not on this branch yet");
        for (Instruction i : all) {
            if (i.keyword().equals("COPY") && !i.args().startsWith("--from=")) {
                String[] parts = i.args().split("\\s+");
                for (int n = 0; n < parts.length - 1; n++) {
                    assertThat(RepoFiles.root().resolve(parts[n])).as("COPY source " + parts[n]).exists();
                }
            }
        }
    }

    @Test
    void buildContextKeepsLocalDataAndKeysOut() {
        String ignore = RepoFiles.read(RepoFiles.docker("Dockerfile.dockerignore"));
        assertThat(ignore.lines().map(String::strip)).contains("data/", "keys/", "**/target/");
    }

    @Test
    void buildStepsScriptPasses() {
        Assumptions.assumeTrue(RepoFiles.onPath("bash"), "no bash");
        RepoFiles.Result r = RepoFiles.run(RepoFiles.root(), Duration.ofMinutes(1), "bash", "docker/build-steps.sh");
        System.out.println(r.output());
        assertThat(r.exitCode()).as("docker/build-steps.sh:\n" + r.output()).isZero();
    }

    static List<Instruction> parse(String dockerfile) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                current.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            current.append(stripped);
            String text = current.toString().strip();
            current.setLength(0);
            String[] kv = text.split("\\s+", 2);
            out.add(new Instruction(kv[0].toUpperCase(Locale.ROOT), kv.length > 1 ? kv[1].strip() : ""));
        }
        return out;
    }

    private static List<Instruction> finalStage(List<Instruction> all) {
        int last = 0;
        for (int n = 0; n < all.size(); n++) {
            if (all.get(n).keyword().equals("FROM")) {
                last = n;
            }
        }
        return all.subList(last, all.size());
    }

    private List<String> args(String keyword) {
        return runtime.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    private static String envValue(String env, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "=(\\S+)").matcher(env);
        assertThat(m.find()).as(name + " set by ENV").isTrue();
        return m.group(1);
    }
}
