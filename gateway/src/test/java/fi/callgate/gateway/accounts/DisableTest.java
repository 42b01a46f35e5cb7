package fi.callgate.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import fi.callgate.gateway.support.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code account disable} ends an open interactive OpenSSH sftp session within one second and refuses new logins. */
class DisableTest {
    @TempDir
    Path home;

    @Test
    void disableEndsAnOpenSftpSessionWithinOneSecondAndRefusesNewLogins() throws Exception {
        try (TestGateway gw = TestGateway.start(home)) {
            gw.account("dialer1", "dialer", null);
            List<String> cmd = new ArrayList<>(List.of("sftp", "-P", String.valueOf(gw.port())));
            cmd.addAll(gw.clientOptions("dialer1"));
            cmd.add("dialer1@127.0.0.1");
            Process sftp = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            StringBuffer out = new StringBuffer();
            Thread reader = new Thread(() -> {
                try (InputStream in = sftp.getInputStream()) {
                    byte[] buf = new byte[4096];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (Exception ignored) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            OutputStream stdin = sftp.getOutputStream(); // kept open: the session stays interactive
            stdin.write("pwd\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!out.toString().contains("Remote working directory") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(out.toString()).as("sftp connected").contains("Remote working directory");
            assertThat(sftp.isAlive()).isTrue();

            // OpenSSH's sftp runs ssh as its transport child. When the server closes the connection the
            // ssh child exits and sftp reports "Connection closed." at once, but an interactive sftp then
            // waits for its next stdin line before exiting itself (sftp.c sigchld_handler only reports).
            ProcessHandle transport = sftp.toHandle().children()
                    .filter(h -> h.info().command().orElse("").endsWith("/ssh")).findFirst().orElseThrow();
            long start = System.nanoTime();
            gw.admin("account", "disable", "dialer1").assertOk();
            long returned = System.nanoTime();
            boolean transportEnded;
            try {
                transport.onExit().get(1, TimeUnit.SECONDS);
                transportEnded = true;
            } catch (java.util.concurrent.TimeoutException e) {
                transportEnded = false;
            }
            long ended = System.nanoTime();
            System.out.printf("account disable: command took %d ms, sftp's connection ended %d ms after it returned%n",
                    (returned - start) / 1_000_000, (ended - returned) / 1_000_000);
            assertThat(transportEnded).as("sftp's ssh connection ended within 1 s of `account disable` returning; "
                    + "output:\n" + out).isTrue();
            while (!out.toString().contains("Connection closed") && System.nanoTime() < ended + 1_000_000_000L) {
                Thread.sleep(10);
            }
            assertThat(out.toString()).contains("closed by remote host").contains("Connection closed");
            try {
                stdin.write("pwd\n".getBytes(StandardCharsets.UTF_8));
                stdin.close();
            } catch (java.io.IOException ignored) {
                // sftp may already be gone
            }
            assertThat(sftp.waitFor(2, TimeUnit.SECONDS)).as("sftp exits at its next command").isTrue();

            assertThat(gw.sftp("dialer1", "pwd\n").exit()).as("new login of a disabled account").isNotZero();
            var closed = gw.callgate().audit().find("account.sessions-closed", "dialer1");
            assertThat(closed).hasSize(1);
            assertThat(closed.get(0).event().detail()).isEqualTo("sessions=1");
            assertThat(closed.get(0).event().actor()).isEqualTo("it-admin");
        }
    }
}
