package fi.callgate.gateway.support;

import java.nio.file.Path;

/**
 * The set-up the SFTP client and repeat tests share: a gateway with the controller organisation Acme's person
 * {@code ctl-acme} (a real GnuPG home, see {@link Controller}) and a dialer account {@code dial}. A campaign
 * added with {@link #campaign} belongs to Acme, the dialer may fetch its lists, and Acme's key is registered on it.
 */
public final class ListExchange implements AutoCloseable {
    public static final String DIALER = "dial";
    public final TestGateway gw;
    public final Controller acme;

    private ListExchange(TestGateway gw, Controller acme) {
        this.gw = gw;
        this.acme = acme;
    }

    /** Starts the gateway under {@code home} with Acme, the dialer, and these campaigns. */
    public static ListExchange start(Path home, String... campaigns) throws Exception {
        TestGateway gw = TestGateway.start(home);
        try {
            ListExchange x = new ListExchange(gw, new Controller(gw, "ctl-acme", "Acme", "Acme <lists@acme.example>"));
            gw.account(DIALER, "dialer", null);
            for (String c : campaigns) {
                x.campaign(c);
            }
            return x;
        } catch (Exception | AssertionError e) {
            gw.close();
            throw e;
        }
    }

    /** Adds a campaign of Acme's, granted to the dialer, with Acme's key registered. */
    public void campaign(String id) {
        gw.admin("campaign", "add", id, "--org", "Acme", "--ends", "2099-12-31").assertOk();
        gw.admin("campaign", "grant", id, DIALER).assertOk();
        acme.keyFor(id);
    }

    @Override
    public void close() {
        acme.close();
        gw.close();
    }
}
