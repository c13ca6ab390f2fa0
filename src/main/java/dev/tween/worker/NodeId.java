package dev.tween.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.util.UUID;

/**
 * Who holds a lease: host, process and a random part, so that a restarted process on the same host
 * never mistakes its predecessor's leases for its own.
 */
public final class NodeId {
  private NodeId() {}

  public static String create() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    return host
        + "-"
        + ProcessHandle.current().pid()
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }
}
