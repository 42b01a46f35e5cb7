package fi.callgate.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HSQLDB file database under {@code data-dir/db}, encrypted with a key derived from the
 * master key (kept elsewhere), with the durable settings STACK.md asks for: no write delay (a commit is
 * on disk when it returns), MVCC instead of table locks, cached tables. The schema is created and
 * upgraded by numbered Flyway migrations in {@code db/migration}. No network server is ever started.
 *
 * <p>The stores talk SQL through Jdbi ({@link #withHandle}, {@link #transaction}: row mappers instead of
 * hand-written result-set loops) on the same HikariCP pool and the same write gate. The plain-JDBC
 * {@link #withConnection}/{@link #inTransaction} remain for the record store's batched write path.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private final HikariDataSource pool;
    private final Path location;
    private final WriteGate gate;
    private final Jdbi jdbi;

    private Database(HikariDataSource pool, Path location, WriteGate gate) {
        this.pool = pool;
        this.location = location;
        this.gate = gate;
        // Jdbi takes its connections from connect(), so a handle is read-only while the write gate is closed,
        // exactly like the stores' plain connections.
        this.jdbi = Jdbi.create(this::connect);
        // Jdbi's default exception text lists the bound arguments; they can be personal data (names, e-mail
        // addresses), and these messages end up in logs. The SQL state and the driver's message are enough.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        // Times and dates are bound with setObject, as the stores always did, so HSQLDB keeps the offset
        // (Jdbi's default would go through java.sql.Timestamp and the JVM's time zone).
        jdbi.registerArgument((ArgumentFactory) (type, value, config) ->
                value instanceof OffsetDateTime || value instanceof LocalDate
                        ? Optional.<Argument>of((position, statement, context) -> statement.setObject(position, value))
                        : Optional.<Argument>empty());
        // A null of unknown type (Database.update's varargs) is bound with setObject too, as it always was.
        jdbi.getConfig(Arguments.class).setUntypedNullArgument((position, statement, context) ->
                statement.setObject(position, null));
    }

    public static Database open(Path dataDir, MasterKey masterKey) throws IOException {
        return open(dataDir, masterKey, WriteGate.alwaysOpen());
    }

    /**
     * Opens the store behind a write gate: while the gate is closed every connection is read-only, so no
     * statement can add a byte to the database files (HSQLDB appends each change to its .log at once).
     */
    public static Database open(Path dataDir, MasterKey masterKey, WriteGate gate) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize().resolve("db");
        Files.createDirectories(dir);
        Path base = dir.resolve("callgate");
        boolean exists = Files.exists(dir.resolve("callgate.properties"));
        String url = "jdbc:hsqldb:file:" + base
                + ";hsqldb.write_delay=false;hsqldb.tx=mvcc;hsqldb.default_table_type=cached"
                + ";hsqldb.lob_compressed=false;sql.syntax_pgs=false"
                // The blind-index columns are random hashes: index inserts land all over the B-trees, and
                // the default cache (10 MB) thrashed at ~3 000 rows/s. 128 MB / 500k rows nearly halves it.
                + ";hsqldb.cache_rows=500000;hsqldb.cache_size=131072"
                + (exists ? ";ifexists=true" : "");
        HikariConfig config = new HikariConfig();
        config.setPoolName("callgate-store");
        config.setJdbcUrl(url);
        config.setUsername("SA");
        config.setPassword("");
        // Passed as properties, never in the URL, so the key does not end up in error messages. HikariCP
        // prints data-source properties at DEBUG: its logger must stay at WARN (logback.xml does that).
        config.addDataSourceProperty("crypt_key", masterKey.databaseKeyHex());
        config.addDataSourceProperty("crypt_type", "AES");
        config.addDataSourceProperty("crypt_lobs", "true");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IOException("cannot open the database in " + dir
                    + " (wrong master key, or the files are damaged or in use): " + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IOException("database migration failed: " + rootMessage(e), e);
        }
        log.info("store open at {} (HSQLDB, encrypted, write_delay=false, mvcc)", dir);
        return new Database(pool, dir, gate);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() throws SQLException {
        return connect();
    }

    /** Why nothing may be written now (the storage location is refused); empty while writes are allowed. */
    public java.util.Optional<String> writeRefusal() {
        return gate.refusal();
    }

    /** Every connection comes from here; HikariCP resets read-only when it takes the connection back. */
    private Connection connect() throws SQLException {
        Connection c = pool.getConnection();
        if (!gate.isOpen()) {
            c.setReadOnly(true);
        }
        return c;
    }

    public Path location() {
        return location;
    }

    /** Runs work in one transaction: committed if it returns, rolled back if it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("store transaction failed: " + e.getMessage(), e);
        }
    }

    /** Runs work on one connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = connect()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("store access failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs work on its own Jdbi handle (one pooled connection) in auto-commit mode. Each call opens a fresh
     * handle on purpose: {@code Jdbi.withHandle} would join a handle already open on this thread, silently
     * pulling a store's statement into a caller's transaction. Failures come out as {@link StoreException}.
     */
    public <T> T withHandle(HandleCallback<T, SQLException> work) {
        try (Handle h = jdbi.open()) {
            return work.withHandle(h);
        } catch (SQLException | JdbiException e) {
            throw new StoreException("store access failed: " + sqlCause(e).getMessage(), sqlCause(e));
        }
    }

    /**
     * Runs work on its own Jdbi handle in one transaction: committed if it returns, rolled back if it throws
     * (the same boundary as {@link #inTransaction(SqlWork)}). Statements that must commit together — an
     * audit entry and the column that marks its row audited — share this handle.
     */
    public <T> T transaction(HandleCallback<T, SQLException> work) {
        try (Handle h = jdbi.open()) {
            return h.inTransaction(work);
        } catch (SQLException | JdbiException e) {
            throw new StoreException("store transaction failed: " + sqlCause(e).getMessage(), sqlCause(e));
        }
    }

    /**
     * Runs one query with its parameters bound in order and maps every row. For the small lookups the stores
     * make; the result is a list in memory, so never for a whole call list (HSQLDB's in-process driver
     * materialises a result set anyway — page through big tables instead).
     */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withHandle(h -> {
            Query q = h.createQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.bind(i, params[i]);
            }
            return q.map((row, context) -> mapper.map(row)).list();
        });
    }

    /** Runs one statement with its parameters bound in order ({@code setObject}); returns the rows it changed. */
    public int update(String sql, Object... params) {
        return withHandle(h -> h.execute(sql, params));
    }

    /** Is the store answering? For the health check. */
    public boolean isUp() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** SHUTDOWN writes everything out and closes the files cleanly; then the pool goes. */
    @Override
    public void close() {
        if (pool.isClosed()) {
            return;
        }
        if (!gate.isOpen()) {
            // SHUTDOWN rewrites the database files: not while the location is refused. Every commit is in the
            // .log already (write_delay=false), so the next start recovers it as after a crash.
            log.warn("store closed without SHUTDOWN: {}", gate.refusal().orElse(""));
            pool.close();
            return;
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            log.warn("store shutdown: {}", e.getMessage());
        }
        pool.close();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One row of a result set to a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /**
     * The driver's own exception under Jdbi's wrapper, else Jdbi's: a {@link StoreException} carries the
     * {@link SQLException} as its cause, as before Jdbi, so callers can still tell a constraint violation
     * ({@code SQLIntegrityConstraintViolationException}) from other failures.
     */
    private static Exception sqlCause(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return e;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
