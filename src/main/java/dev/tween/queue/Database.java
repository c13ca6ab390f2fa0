package dev.tween.queue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool of one node, migrated to the latest schema when opened. */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final SqlDialect dialect;

  private Database(HikariDataSource pool, SqlDialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    SqlDialect dialect = SqlDialect.forUrl(jdbcUrl);
    if (jdbcUrl.startsWith("jdbc:sqlite:")) createParentDir(jdbcUrl.substring("jdbc:sqlite:".length()));
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(jdbcUrl);
    if (!user.isEmpty()) hc.setUsername(user);
    if (!password.isEmpty()) hc.setPassword(password);
    hc.setMaximumPoolSize(poolSize);
    hc.setPoolName("tween-db");
    hc.setConnectionTimeout(10_000);
    dialect.configure(hc);
    HikariDataSource ds = new HikariDataSource(hc);
    try {
      Flyway.configure()
          .dataSource(ds)
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
      throw new IllegalStateException("cannot create database directory " + p + ": " + e.getMessage(), e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** How this node learns that another node queued work (LISTEN/NOTIFY on PostgreSQL). */
  public WakeupChannel wakeups() {
    return dialect.wakeups(this);
  }

  /** A connection outside the pool, for a caller that holds it for the node's lifetime (LISTEN). */
  Connection unpooledConnection() throws SQLException {
    return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
  }

  /** True when a trivial query answers within a second (for /readyz). */
  public boolean reachable() {
    try (Connection c = pool.getConnection()) {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
