package dev.tween.testing;

import dev.tween.bench.LocalPostgres;

/**
 * The tests' real PostgreSQL: one server per JVM ({@link LocalPostgres}: initdb/pg_ctl as an
 * unprivileged user on a free port), one fresh database per caller. Fails with a clear message when
 * the PostgreSQL binaries are not installed; it never skips.
 */
public final class PostgresServer {
  public static final String USER = LocalPostgres.USER;
  private final LocalPostgres server;

  private PostgresServer(LocalPostgres server) {
    this.server = server;
  }

  public static PostgresServer get() {
    return new PostgresServer(LocalPostgres.get());
  }

  /** A new empty database's JDBC URL (user {@link #USER}, no password). */
  public String freshDatabase() {
    return server.freshDatabase();
  }
}
