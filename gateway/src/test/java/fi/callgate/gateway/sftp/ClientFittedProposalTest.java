package fi.callgate.gateway.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.apache.sshd.common.kex.KexProposalOption;
import org.junit.jupiter.api.Test;

/** The offer fitted to a client's KEXINIT: GCM for every client that has it, CTR only for those without. */
class ClientFittedProposalTest {
    private static Map<KexProposalOption, String> full() {
        Map<KexProposalOption, String> p = new EnumMap<>(KexProposalOption.class);
        p.put(KexProposalOption.C2SENC, SshAlgorithms.names(SshAlgorithms.CIPHERS));
        p.put(KexProposalOption.S2CENC, SshAlgorithms.names(SshAlgorithms.CIPHERS));
        p.put(KexProposalOption.C2SMAC, SshAlgorithms.names(SshAlgorithms.MACS));
        p.put(KexProposalOption.S2CMAC, SshAlgorithms.names(SshAlgorithms.MACS));
        return p;
    }

    private static Map<KexProposalOption, String> client(String ciphers, String macs) {
        Map<KexProposalOption, String> c = new EnumMap<>(KexProposalOption.class);
        c.put(KexProposalOption.C2SENC, ciphers);
        c.put(KexProposalOption.S2CENC, ciphers);
        c.put(KexProposalOption.C2SMAC, macs);
        c.put(KexProposalOption.S2CMAC, macs);
        return c;
    }

    @Test
    void openSshDefaultsListingCtrFirstAreOfferedGcmOnly() {
        Map<KexProposalOption, String> p = full();
        ClientFittedProposal.fit(p, client("chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
                + "aes128-gcm@openssh.com,aes256-gcm@openssh.com", "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
                + "hmac-sha2-256,hmac-sha1"));
        assertThat(p.get(KexProposalOption.C2SENC)).isEqualTo("aes256-gcm@openssh.com,aes128-gcm@openssh.com");
        assertThat(p.get(KexProposalOption.S2CMAC)).isEqualTo("hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com");
    }

    @Test
    void libssh2WithoutGcmOrEtmGetsCtrAndPlainSha2() {
        Map<KexProposalOption, String> p = full();
        ClientFittedProposal.fit(p, client("aes128-ctr,aes192-ctr,aes256-ctr,aes256-cbc,3des-cbc",
                "hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-md5"));
        assertThat(p.get(KexProposalOption.S2CENC)).isEqualTo("aes256-ctr,aes192-ctr,aes128-ctr");
        assertThat(p.get(KexProposalOption.C2SMAC)).isEqualTo("hmac-sha2-256,hmac-sha2-512");
    }

    @Test
    void ctrClientWithAnEtmMacNeverGetsThePlainMacs() {
        Map<KexProposalOption, String> p = full();
        ClientFittedProposal.fit(p, client("aes128-ctr", "hmac-sha2-256,hmac-sha2-512-etm@openssh.com"));
        assertThat(p.get(KexProposalOption.C2SMAC)).isEqualTo("hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com");
    }

    @Test
    void unknownClientListsGetTheGcmOnlyOffer() {
        Map<KexProposalOption, String> p = full();
        ClientFittedProposal.fit(p, Map.of());
        assertThat(p.get(KexProposalOption.C2SENC)).isEqualTo("aes256-gcm@openssh.com,aes128-gcm@openssh.com");
        assertThat(p.get(KexProposalOption.C2SMAC)).isEqualTo("hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com");
    }

    @Test
    void jschIsRecognisedAsAClientThatWaitsForTheServer() {
        assertThat(ClientFittedSession.waitsForServer("SSH-2.0-JSCH_0.2.20")).isTrue();
        assertThat(ClientFittedSession.waitsForServer("SSH-2.0-JSCH-0.1.54")).isTrue();
        assertThat(ClientFittedSession.waitsForServer("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6")).isFalse();
    }
}
