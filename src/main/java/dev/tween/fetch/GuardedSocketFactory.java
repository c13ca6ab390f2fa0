package dev.tween.fetch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that check the address they are about to connect to, before the first packet. OkHttp
 * connects to literal IP hosts without asking its {@code Dns}, so this is the one check that sees
 * every destination.
 */
final class GuardedSocketFactory extends SocketFactory {
  private final AddressPolicy addresses;

  GuardedSocketFactory(AddressPolicy addresses) {
    this.addresses = addresses;
  }

  @Override
  public Socket createSocket() {
    return new GuardedSocket(addresses);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress to) throws IOException {
    Socket s = createSocket();
    s.connect(to);
    return s;
  }

  private static final class GuardedSocket extends Socket {
    private final AddressPolicy addresses;

    GuardedSocket(AddressPolicy addresses) {
      this.addresses = addresses;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!(endpoint instanceof InetSocketAddress to) || to.isUnresolved()) {
        close();
        throw new SafeHttp.RefusedAddressException("refused to connect to an unresolved address");
      }
      var refusal = addresses.refusal(to.getAddress());
      if (refusal.isPresent()) {
        close();
        throw new SafeHttp.RefusedAddressException(
            "refused to connect to "
                + to.getAddress().getHostAddress()
                + " ("
                + refusal.get()
                + ")");
      }
      super.connect(endpoint, timeout);
    }
  }
}
