import Foundation
import XCTest

/// `swnet system restore` after a firewall flush and after a simulated reboot.
final class RestoreTests: PrivateHostTestCase {
    func testRestoreAfterAFirewallFlushAndAfterAReboot() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "front", "--subnet", "10.79.0.0/24")
        swnetOK("sandbox", "create", "web")
        swnetOK("sandbox", "create", "db")
        swnetOK("connect", "front", "web", "--publish", "8079:80")
        swnetOK("connect", "front", "db")
        let rules = swnetFirewallLines()

        // Something flushes the firewall (iptables -F, a firewalld reload).
        flushSwnetFirewall()
        XCTAssertEqual(swnetFirewallLines(), [])
        XCTAssertEqual(swnetOK("system", "restore"), "", "nothing had to be re-created")
        XCTAssertEqual(swnetFirewallLines(), rules)
        swnetOK("system", "restore")
        XCTAssertEqual(swnetFirewallLines(), rules, "restore is idempotent: no duplicate rules")
        var server = try startServer(in: "web", port: 80, token: "web")
        XCTAssertEqual(ask("192.0.2.1", 8079, from: "outside"), "web 192.0.2.2")
        server.terminate()

        // A reboot: namespaces, bridge and rules are gone; the state is not.
        host("ip", "netns", "del", "web")
        host("ip", "netns", "del", "db")
        let bridge = try XCTUnwrap(ipJSON("link", "show").compactMap { $0["ifname"] as? String }.first { $0.hasPrefix("swbr-") })
        host("ip", "link", "del", bridge)
        flushSwnetFirewall()
        let repairs = swnetOK("system", "restore").split(separator: "\n")
        XCTAssertEqual(repairs.count, 5, "bridge, two namespaces, two interfaces: \(repairs)")
        XCTAssertEqual(swnetFirewallLines(), rules)
        XCTAssertEqual(inSandbox("web", "ping", "-c1", "-W2", "10.79.0.3").status, 0)
        XCTAssertEqual(ipJSON("-n", "db", "route", "show", "default").first?["gateway"] as? String, "10.79.0.1")
        server = try startServer(in: "web", port: 80, token: "web")
        defer { server.terminate() }
        XCTAssertEqual(ask("192.0.2.1", 8079, from: "outside"), "web 192.0.2.2")

        swnetOK("sandbox", "rm", "web", "db")
        swnetOK("network", "rm", "front")
    }
}
