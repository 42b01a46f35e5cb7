package fi.callgate.gateway.boot;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar callgate.jar serve [--config FILE]}: starts the appliance and runs until SIGTERM, when
 * it stops SSH first (no new work), lets the store shut down cleanly, and exits. A bad configuration
 * stops start-up with one line naming the key, and exit status 2.
 */
@Command(name = "callgate", mixinStandardHelpOptions = true, subcommands = CallgateMain.Serve.class,
        description = "Callgate secure file-exchange gateway")
public final class CallgateMain implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new CallgateMain()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "serve", description = "Start the appliance.")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "config file (default config/callgate.yaml)")
        Path config;

        @Override
        public Integer call() throws Exception {
            Path file = config != null ? config : Path.of("config", "callgate.yaml");
            if (config == null && !file.toFile().isFile()) {
                file = null; // defaults and environment only
            }
            CallgateConfig cfg;
            try {
                cfg = ConfigLoader.load(file, System.getenv());
            } catch (ConfigException e) {
                System.err.println("callgate: " + e.getMessage());
                return 2;
            }
            if (cfg.logFormat().equals("json")) {
                useJsonLogging();
            }
            Callgate gateway;
            try {
                gateway = Callgate.start(cfg, Clock.systemUTC());
            } catch (ConfigException e) {
                System.err.println("callgate: " + e.getMessage());
                return 2;
            } catch (Exception e) {
                LoggerFactory.getLogger(CallgateMain.class).debug("start-up failed", e);
                System.err.println("callgate: start-up failed: " + e.getMessage());
                return 1;
            }
            if (!gateway.accounts().anyActiveAdmin()) {
                System.err.println("callgate: " + Callgate.NO_ADMIN); // the log may go elsewhere; a newcomer sees this
            }
            Path source = file;
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                try {
                    gateway.reload(ConfigLoader.load(source, System.getenv()));
                } catch (ConfigException e) {
                    LoggerFactory.getLogger(CallgateMain.class).error("reload refused, keeping the running "
                            + "configuration: {}", e.getMessage());
                }
            });
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "callgate-shutdown"));
            stopped.await();
            return 0;
        }

        private static void useJsonLogging() throws Exception {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(ctx);
            configurator.doConfigure(CallgateMain.class.getResource("/logback-json.xml"));
        }
    }
}
