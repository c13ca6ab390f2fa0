package dev.tween.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/**
 * Secrets shared by every node through the database: the first node to ask creates one, all later
 * ones read the same value, so a link signed by one node verifies on any other.
 */
public final class SharedSecrets {
  private final Database db;

  public SharedSecrets(Database db) {
    this.db = db;
  }

  public byte[] getOrCreate(String name, int bytes) {
    byte[] fresh = new byte[bytes];
    new SecureRandom().nextBytes(fresh);
    try (Connection c = db.connection()) {
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
        ins.setString(1, name);
        ins.setString(2, Base64.getEncoder().encodeToString(fresh));
        ins.executeUpdate();
      }
      try (PreparedStatement sel = c.prepareStatement("SELECT value FROM secrets WHERE name = ?")) {
        sel.setString(1, name);
        try (ResultSet rs = sel.executeQuery()) {
          rs.next();
          return Base64.getDecoder().decode(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw db.failure("reading secret " + name, e);
    }
  }
}
