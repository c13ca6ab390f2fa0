package dev.tween.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tween.health.Circuit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The connection pool of one node, migrated to the latest schema when opened. A {@link Circuit}
 * watches it: while the database is unreachable every call fails fast with {@link
 * dev.tween.health.DependencyUnavailableException} instead of waiting on the network.
 */
public final class Database implements AutoCloseable {
  /** The default of {@code --db-socket-timeout-seconds}. */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

  /** A busy pool (every connection in use) is not an outage: ask the client to come back soon. */
  private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

  private final HikariDataSource pool;
  private final SqlDialect dialect;
  private final Circuit circuit;
  private volatile Connection probeConnection; // only the circuit's thread uses it
  private volatile dev.tween.health.OutageDetector outages = dev.tween.health.OutageDetector.NONE;

  private Database(HikariDataSource pool, SqlDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    this.circuit = new Circuit("database", this::probe, Clock.systemUTC());
    // Connections opened before an outage are dead after it: close idle ones, retire busy ones when
    // returned.
    circuit.onChange(
        up -> {
          if (!up) pool.getHikariPoolMXBean().softEvictConnections();
        });
  }

  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    return open(jdbcUrl, user, password, poolSize, SOCKET_TIMEOUT);
  }

  /**
   * @param socketTimeout how long a statement may go without an answer before the database counts
   *     as gone
   */
  public static Database open(
      String jdbcUrl, String user, String password, int poolSize, Duration socketTimeout) {
    SqlDialect dialect = SqlDialect.forUrl(jdbcUrl);
    if (jdbcUrl.startsWith("jdbc:sqlite:"))
      createParentDir(jdbcUrl.substring("jdbc:sqlite:".length()));
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    if (!user.isEmpty()) hc.setUsername(user);
    if (!password.isEmpty()) hc.setPassword(password);
    hc.setMaximumPoolSize(poolSize);
    hc.setPoolName("tween-db");
    hc.setConnectionTimeout(10_000);
    dialect.configure(hc);
    dialect.configureTimeouts(hc, socketTimeout);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      var flyway = Flyway.configure();
      // A migration may run longer than the socket timeout: on PostgreSQL it gets connections
      // without one.
      if (jdbcUrl.startsWith("jdbc:sqlite:")) flyway.dataSource(ds);
      else
        flyway.dataSource(
            jdbcUrl, user.isEmpty() ? null : user, password.isEmpty() ? null : password);
      flyway
          .locations(dialect.migrationLocations().toArray(String[]::new))
          .failOnMissingLocations(false)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  private static void createParentDir(String file) {
    int q = file.indexOf('?');
    Path p = Path.of(q >= 0 ? file.substring(0, q) : file).toAbsolutePath().getParent();
    try {
      if (p != null) Files.createDirectories(p);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "cannot create database directory " + p + ": " + e.getMessage(), e);
    }
  }

  SqlDialect dialect() {
    return dialect;
  }

  /**
   * Suffix that row-locks a SELECT inside a transaction ({@code FOR UPDATE}), empty on SQLite,
   * where a write transaction locks the whole database.
   */
  public String forUpdate() {
    return dialect.forUpdate();
  }

  /** {@code sqlite} or {@code postgresql}, for logs. */
  public String dialectName() {
    return dialect.name();
  }

  /**
   * A pooled connection; fails fast while the database is known to be unreachable. Only this
   * package holds connections: the others run their SQL through {@link Transactions}, which maps
   * every failure with {@link #failure}.
   */
  Connection connection() throws SQLException {
    circuit.check();
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw failure("connect", e);
    }
  }

  public Circuit circuit() {
    return circuit;
  }

  /**
   * Recognises failed statements that mean another dependency is gone (the disk an embedded
   * database lives on), reported as its outage instead of an error.
   */
  public void detectOutages(dev.tween.health.OutageDetector detector) {
    this.outages = detector;
  }

  /**
   * What a failed statement means for the caller: {@link
   * dev.tween.health.DependencyUnavailableException} when the database could not be reached (the
   * circuit opens), else a {@link StoreException}.
   */
  RuntimeException failure(String what, SQLException e) {
    if (unreachable(e)) {
      circuit.failed(e);
      return circuit.unavailable(e);
    }
    var outage = outages.outageBehind(e); // e.g. SQLITE_FULL: the disk under the data dir is full
    if (outage.isPresent()) return outage.get();
    if (e instanceof SQLTransientConnectionException && e.getCause() == null) {
      return new dev.tween.health.DependencyUnavailableException(
          "database",
          BUSY_RETRY,
          "every database connection of this node is busy; retry after "
              + BUSY_RETRY.toSeconds()
              + " s",
          e);
    }
    return new StoreException(what + " failed", e);
  }

  /**
   * Connection-class errors: SQLSTATE 08xxx, and the server shutting down or starting
   * (57P01–57P03).
   */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")) {
          return true;
        }
      }
      if (t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException)
        return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  /**
   * The circuit's probe: a connection of its own, so a busy pool never looks like an outage. After
   * an outage the pool must also hand out a working connection before the circuit closes, so the
   * first requests do not meet an empty pool.
   */
  private void probe() throws SQLException {
    probeOwnConnection();
    if (!circuit.isUp()) {
      try (Connection c = pool.getConnection()) {
        if (!c.isValid(1)) throw new SQLException("a pooled connection did not validate", "08006");
      }
    }
  }

  private void probeOwnConnection() throws SQLException {
    if (probeConnection != null && probeConnection.isValid(1)) return;
    if (probeConnection != null) {
      try {
        probeConnection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      probeConnection = null;
    }
    Connection c = unpooledConnection();
    if (!c.isValid(1)) {
      c.close();
      throw new SQLException("the database did not answer a validation query within 1 s", "08006");
    }
    probeConnection = c;
  }

  /** How this node learns that another node queued work (LISTEN/NOTIFY on PostgreSQL). */
  public WakeupChannel wakeups() {
    return dialect.wakeups(this);
  }

  /** A connection outside the pool, for a caller that holds it for the node's lifetime (LISTEN). */
  Connection unpooledConnection() throws SQLException {
    Properties p = new Properties();
    p.putAll(
        pool.getDataSourceProperties()); // the same timeouts (and SQLite pragmas) as the pool's
    if (pool.getUsername() != null) p.setProperty("user", pool.getUsername());
    if (pool.getPassword() != null) p.setProperty("password", pool.getPassword());
    return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), p);
  }

  @Override
  public void close() {
    circuit.close();
    Connection probing = probeConnection;
    if (probing != null) {
      try {
        probing.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    pool.close();
  }
}
