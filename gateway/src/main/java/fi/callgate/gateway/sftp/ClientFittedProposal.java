package fi.callgate.gateway.sftp;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * Cuts the server's proposal down to what fits the client in front of it, from the client's own
 * KEXINIT ({@link ClientFittedSession} waits for it before proposing). Why: in SSH the client's order
 * decides, and a stock OpenSSH client lists {@code aes*-ctr} before GCM — offered both, it would move
 * to MINA's much slower CTR path. So a client that can do AES-GCM is offered AES-GCM only (exactly the
 * lists offered before CTR existed here); only a client without GCM (PuTTY ≤ 0.77, WinSCP 5.x,
 * libssh2 ≤ 1.10, paramiko) is offered AES-CTR, with the encrypt-then-MAC SHA-2 MACs if it has them
 * and the plain SHA-2 MACs only if it has no {@code -etm} MAC at all (libssh2 1.10). When the client's
 * KEXINIT is not known (a client that waits for the server's first), the GCM-only lists are offered.
 */
final class ClientFittedProposal implements SessionListener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClientFittedProposal.class);
    private static final Set<String> GCM = names(SshAlgorithms.CIPHERS_GCM);
    private static final Set<String> CTR = names(SshAlgorithms.CIPHERS_CTR);
    private static final Set<String> ETM = names(SshAlgorithms.MACS_ETM);
    private static final Set<String> PLAIN_MACS = names(SshAlgorithms.MACS_PLAIN);

    @Override
    public void sessionNegotiationEnd(Session session, Map<KexProposalOption, String> clientProposal,
                                      Map<KexProposalOption, String> serverProposal,
                                      Map<KexProposalOption, String> negotiated, Throwable reason) {
        // Which clients still need the CTR fallback is worth knowing before it can be retired.
        if (reason == null && log.isInfoEnabled()) {
            log.info("ssh client \"{}\" negotiated kex={} cipher={}/{} mac={}/{}", session.getClientVersion(),
                    negotiated.get(KexProposalOption.ALGORITHMS), negotiated.get(KexProposalOption.C2SENC),
                    negotiated.get(KexProposalOption.S2CENC), negotiated.get(KexProposalOption.C2SMAC),
                    negotiated.get(KexProposalOption.S2CMAC));
        }
    }

    @Override
    public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
        fit(proposal, session.getClientKexProposals());
    }

    /** Rewrites the cipher and MAC entries of {@code proposal} for a client that proposed {@code client} (may be empty). */
    static void fit(Map<KexProposalOption, String> proposal, Map<KexProposalOption, String> client) {
        fitDirection(proposal, client, KexProposalOption.C2SENC, KexProposalOption.C2SMAC);
        fitDirection(proposal, client, KexProposalOption.S2CENC, KexProposalOption.S2CMAC);
    }

    private static void fitDirection(Map<KexProposalOption, String> proposal, Map<KexProposalOption, String> client,
                                     KexProposalOption cipherOption, KexProposalOption macOption) {
        List<String> clientCiphers = list(client == null ? null : client.get(cipherOption));
        List<String> clientMacs = list(client == null ? null : client.get(macOption));
        boolean legacy = !clientCiphers.isEmpty() && clientCiphers.stream().noneMatch(GCM::contains);
        proposal.put(cipherOption, keep(proposal.get(cipherOption), legacy ? CTR : GCM));
        boolean plainMacsOnly = legacy && clientMacs.stream().noneMatch(ETM::contains);
        proposal.put(macOption, keep(proposal.get(macOption), plainMacsOnly ? PLAIN_MACS : ETM));
    }

    private static String keep(String offered, Set<String> allowed) {
        return list(offered).stream().filter(allowed::contains).collect(Collectors.joining(","));
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.asList(csv.split(","));
    }

    private static Set<String> names(List<? extends org.apache.sshd.common.NamedResource> list) {
        return list.stream().map(org.apache.sshd.common.NamedResource::getName).collect(Collectors.toUnmodifiableSet());
    }
}
