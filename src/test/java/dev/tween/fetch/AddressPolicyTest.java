package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  final AddressPolicy strict = new AddressPolicy(false);
  final AddressPolicy onPremise = new AddressPolicy(true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.0.9",
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "100.64.0.1",
        "100.127.255.254",
        "169.254.169.254",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.0.8",
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "fec0::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2001:0:4136:e378:8000:63bf:80ff:fffe"
      })
  void refusedEverywhereByDefault(String address) throws Exception {
    assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "2002:0808:0808::1"
      })
  void publicAddressesAreAllowed(String address) throws Exception {
    assertThat(strict.refusal(InetAddress.getByName(address))).as(address).isEmpty();
  }

  @Test
  void onPremiseAllowsPrivateButNeverMetadataOrMulticast() throws Exception {
    assertThat(onPremise.allowed(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(onPremise.allowed(InetAddress.getByName("10.0.0.5"))).isTrue();
    assertThat(onPremise.allowed(InetAddress.getByName("::1"))).isTrue();
    assertThat(onPremise.allowed(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(onPremise.allowed(InetAddress.getByName("224.0.0.1"))).isFalse();
    assertThat(onPremise.allowed(InetAddress.getByName("0.0.0.0"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2130706433",
        "0x7f000001",
        "0X7F000001",
        "127.1",
        "127.0.1",
        "0177.0.0.1",
        "0177.1",
        "0x7f.0.0.1",
        "017700000001",
        "127.0.0.1."
      })
  void oddNumericSpellingsMeanLoopback(String host) throws Exception {
    var parsed = AddressPolicy.parseNumericIpv4(host);
    assertThat(parsed).as(host).isPresent();
    assertThat(parsed.get().getAddress()).containsExactly(127, 0, 0, 1);
  }

  @Test
  void namesAreNotNumeric() {
    assertThat(AddressPolicy.parseNumericIpv4("example.com")).isEmpty();
    assertThat(AddressPolicy.parseNumericIpv4("cafe.be")).isEmpty();
    assertThat(AddressPolicy.parseNumericIpv4("1.2.3.4.5")).isEmpty();
    assertThat(AddressPolicy.parseNumericIpv4("256.1.1.1")).isEmpty();
  }
}
