package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import fi.callgate.gateway.support.Controller;
import fi.callgate.gateway.support.ListExchange;
import fi.callgate.gateway.support.TestGateway;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller and dialer flows with the other clients the appliance meets: JSch (what camel-sftp and
 * many integrations use) and MINA's own SFTP client. The OpenSSH binaries drive every other test. Each
 * client uploads a gpg-encrypted list to the inbox, cannot read it back, and the dialer downloads the
 * published list byte-identical to what the OpenSSH client gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientInteropTest {
    static final String LIST = "first_name;last_name;phone;source\nAino;Aalto;0401112233;Messut\n";
    @TempDir
    static Path home;
    ListExchange exchange;
    TestGateway gw;
    Controller acme;

    @BeforeAll
    void setUp() throws Exception {
        exchange = ListExchange.start(home, "JS1", "MN1");
        gw = exchange.gw;
        acme = exchange.acme;
    }

    @AfterAll
    void tearDown() {
        exchange.close();
    }

    @Test
    void jschControllerAndDialer() throws Exception {
        byte[] encrypted = Files.readAllBytes(acme.encrypt("l.csv", Controller.utf8(LIST), true, false, -1));
        ChannelSftp ctl = jsch("ctl-acme");
        ctl.put(new ByteArrayInputStream(encrypted), "/JS1/inbox/list.csv.gpg");
        assertThatThrownBy(() -> ctl.get("/JS1/inbox/list.csv.gpg", new ByteArrayOutputStream()))
                .isInstanceOf(SftpException.class);
        ctl.getSession().disconnect();
        acme.awaitProcessed("JS1", "list.csv.gpg");
        assertThat(acme.report("JS1", "list.csv.gpg")).contains(";rows_accepted;1");

        ChannelSftp dial = jsch("dial");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        dial.get("/JS1/lists/JS1-0001.csv", got);
        assertThatThrownBy(() -> dial.put(new ByteArrayInputStream(new byte[1]), "/JS1/lists/x.csv"))
                .isInstanceOf(SftpException.class);
        dial.getSession().disconnect();
        assertThat(got.toString(StandardCharsets.UTF_8)).startsWith("record_id;phone;first_name;last_name")
                .contains("+358401112233;Aino;Aalto");
        Path viaOpenSsh = home.resolve("js1.csv");
        gw.sftp("dial", "get /JS1/lists/JS1-0001.csv " + viaOpenSsh + "\n").assertOk();
        assertThat(Files.readAllBytes(viaOpenSsh)).isEqualTo(got.toByteArray());
    }

    @Test
    void minaControllerAndDialer() throws Exception {
        byte[] encrypted = Files.readAllBytes(acme.encrypt("l.csv", Controller.utf8(LIST), false, true, 0));
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (SftpClient ctl = sftp(client, "ctl-acme")) {
                try (var out = ctl.write("/MN1/inbox/list.csv.asc")) {
                    out.write(encrypted);
                }
                assertThatThrownBy(() -> ctl.read("/MN1/inbox/list.csv.asc").readAllBytes())
                        .isInstanceOf(java.io.IOException.class);
            }
            acme.awaitProcessed("MN1", "list.csv.asc");
            try (SftpClient dial = sftp(client, "dial")) {
                byte[] list = dial.read("/MN1/lists/MN1-0001.csv").readAllBytes();
                assertThat(new String(list, StandardCharsets.UTF_8)).contains("+358401112233;Aino;Aalto");
                assertThatThrownBy(() -> dial.write("/MN1/lists/x.csv").write(1)).isInstanceOf(java.io.IOException.class);
            }
        }
    }

    private ChannelSftp jsch(String person) throws Exception {
        JSch jsch = new JSch();
        jsch.addIdentity(gw.newKey(person).toString());
        Session s = jsch.getSession(person, "127.0.0.1", gw.port());
        Properties cfg = new Properties();
        cfg.put("StrictHostKeyChecking", "no");
        cfg.put("PreferredAuthentications", "publickey");
        s.setConfig(cfg);
        s.connect(10_000);
        ChannelSftp sftp = (ChannelSftp) s.openChannel("sftp");
        sftp.connect(10_000);
        return sftp;
    }

    private SftpClient sftp(SshClient client, String person) throws Exception {
        ClientSession session = client.connect(person, "127.0.0.1", gw.port()).verify(10_000).getSession();
        for (var kp : SecurityUtils.loadKeyPairIdentities(null, null, Files.newInputStream(gw.newKey(person)), null)) {
            session.addPublicKeyIdentity(kp);
        }
        session.auth().verify(10_000);
        return SftpClientFactory.instance().createSftpClient(session).singleSessionInstance();
    }
}
