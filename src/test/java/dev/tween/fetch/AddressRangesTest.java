package dev.tween.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every range the policy knows, with the reason it gives and whether an on-premise operator may
 * allow it.
 */
class AddressRangesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // address                           | reason contains          | allowed with allowPrivate
        "0.0.0.0                             | 'this network'           | false",
        "0.255.1.1                           | 'this network'           | false",
        "10.255.255.255                      | private 10.0.0.0/8       | true",
        "100.64.0.0                          | carrier-grade NAT        | true",
        "100.127.255.255                     | carrier-grade NAT        | true",
        "100.100.100.200                     | cloud metadata           | false",
        "127.0.0.1                           | loopback                 | true",
        "127.255.255.254                     | loopback                 | true",
        "169.254.169.254                     | link-local               | false",
        "169.254.0.1                         | link-local               | false",
        "172.16.0.0                          | private 172.16.0.0/12    | true",
        "172.31.255.255                      | private 172.16.0.0/12    | true",
        "192.0.0.1                           | IETF protocol            | false",
        "192.0.2.255                         | documentation            | false",
        "192.88.99.1                         | 6to4 relay               | false",
        "192.168.0.1                         | private 192.168.0.0/16   | true",
        "198.18.0.0                          | benchmarking             | false",
        "198.19.255.255                      | benchmarking             | false",
        "198.51.100.1                        | documentation            | false",
        "203.0.113.1                         | documentation            | false",
        "224.0.0.1                           | multicast                | false",
        "239.255.255.255                     | multicast                | false",
        "240.0.0.1                           | reserved                 | false",
        "255.255.255.255                     | broadcast                | false",
        "::                                  | unspecified              | false",
        "::1                                 | loopback                 | true",
        "fc00::1                             | unique local             | true",
        "fdff:ffff::1                        | unique local             | true",
        "fd00:ec2::254                       | cloud metadata           | false",
        "fe80::1                             | link-local fe80::/10     | false",
        "febf:ffff::1                        | link-local fe80::/10     | false",
        "fec0::1                             | site-local               | false",
        "ff02::1                             | multicast                | false",
        "100::1                              | discard-only             | false",
        "2001:db8::1                         | documentation            | false",
        "3fff::1                             | documentation            | false",
        "2001:2::1                           | benchmarking             | false",
        "2001:10::1                          | ORCHID                   | false",
        "64:ff9b:1::1                        | local-use NAT64          | false",
        "4000::1                             | not global unicast       | false",
        // IPv6 forms embedding a refused IPv4 address are judged by that address
        "::ffff:127.0.0.1                    | loopback                 | true",
        "::ffff:169.254.169.254              | link-local               | false",
        "::10.0.0.1                          | private 10.0.0.0/8       | true",
        "64:ff9b::a9fe:a9fe                  | link-local               | false",
        "64:ff9b::7f00:1                     | loopback                 | true",
        "2002:a00:1::1                       | private 10.0.0.0/8       | true",
        "2002:a9fe:a9fe::                    | link-local               | false",
        "2001:0:4136:e378:8000:63bf:80ff:fffe | loopback                | true",
        "2001:0:a00:1::f7f7:f7f7            | Teredo server            | true"
      })
  void everyRangeIsRefusedWithItsName(String address, String reason, boolean onPremise)
      throws Exception {
    InetAddress a = InetAddress.getByName(address);
    assertThat(new AddressPolicy(false).refusal(a))
        .as(address)
        .hasValueSatisfying(r -> assertThat(r).contains(reason));
    assertThat(new AddressPolicy(true).allowed(a))
        .as(address + " with allowPrivate")
        .isEqualTo(onPremise);
  }

  @ParameterizedTest
  @CsvSource({
    "8.8.8.8",
    "100.63.255.255",
    "100.128.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.255",
    "192.169.0.1",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "::ffff:1.1.1.1",
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7"
  })
  void publicAddressesAndTheirEmbeddedFormsAreAllowed(String address) throws Exception {
    assertThat(new AddressPolicy(false).refusal(InetAddress.getByName(address)))
        .as(address)
        .isEmpty();
  }
}
