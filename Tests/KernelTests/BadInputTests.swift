import Foundation
import XCTest

/// Every kind of bad input exits 1 (invalid) or 2 (not found, conflict) with one line on stderr
/// and changes nothing: state files, links, addresses and namespaces stay as they were.
final class BadInputTests: PrivateHostTestCase {
    func testInvalidInputIsRefusedAndChangesNothing() throws {
        swnetOK("network", "create", "good", "--subnet", "10.97.0.0/24")
        swnetOK("network", "create", "inner", "--subnet", "10.96.0.0/24", "--internal")
        swnetOK("sandbox", "create", "sb")
        swnetOK("sandbox", "create", "sb2")
        swnetOK("endpoint", "create", "--network", "good", "ep")
        swnetOK("endpoint", "create", "--network", "good", "spare")
        swnetOK("join", "ep", "sb")
        swnetOK("endpoint", "create", "--network", "good", "web", "--publish", "7001:80")

        let cases: [(arguments: [String], status: Int32)] = [
            (["network", "create", "a/b"], 1),
            (["network", "create", ".."], 1),
            (["network", "create", "has space"], 1),
            (["network", "create", String(repeating: "x", count: 64)], 1),
            (["network", "create", "new\nline"], 1),
            (["network", "create", ""], 1),
            (["network", "create", "n", "--subnet", "10.0.0.1/24"], 1),
            (["network", "create", "n", "--subnet", "10.0.0.0/33"], 1),
            (["network", "create", "n", "--subnet", "garbage"], 1),
            (["network", "create", "n", "--subnet", "10.97.0.0/16"], 2),
            (["network", "create", "n", "--subnet", "10.98.0.0/24", "--gateway", "10.99.0.1"], 1),
            (["network", "create", "n", "--subnet", "10.98.0.0/24", "--ip-range", "10.99.0.0/28"], 1),
            (["network", "create", "n", "--subnet", "10.98.0.0/24", "--gateway", "10.98.0.255"], 1),
            (["network", "create", "n", "--subnet", "fd00::/64", "--subnet", "fd01::/64"], 1),
            (["network", "create", "n", "--mtu", "20"], 1),
            (["network", "create", "n", "--mtu", "abc"], 1),
            (["network", "create", "n", "--opt", "bogus=1"], 1),
            (["network", "create", "n", "--opt", "icc=maybe"], 1),
            (["network", "create", "n", "--opt", "bridge.name=way-too-long-bridge"], 1),
            (["network", "create", "n", "--opt", "bridge.name=lo"], 2),
            (["network", "create", "n", "--driver", "overlay"], 1),
            (["network", "create", "n", "--driver", "null", "--subnet", "10.98.0.0/24"], 1),
            (["network", "create", "n", "--label", "=novalue"], 1),
            (["network", "create", "n", "--opt", "noequals"], 1),
            (["network", "create", "good"], 2),
            (["endpoint", "create", "--network", "good", "x", "--ip", "10.97.0.1"], 1),
            (["endpoint", "create", "--network", "good", "x", "--ip", "10.98.0.5"], 1),
            (["endpoint", "create", "--network", "good", "x", "--ip", "10.97.0.255"], 1),
            (["endpoint", "create", "--network", "good", "x", "--ip", "10.97.0.2"], 2),
            (["endpoint", "create", "--network", "good", "x", "--ip", "300.1.1.1"], 1),
            (["endpoint", "create", "--network", "good", "x", "--ip6", "fd00::5"], 1),
            (["endpoint", "create", "--network", "good", "x", "--mac", "zz:00:00:00:00:01"], 1),
            (["endpoint", "create", "--network", "good", "x", "--mac", "01:00:5e:00:00:01"], 1),
            (["endpoint", "create", "--network", "good", "x", "--alias", "bad/alias"], 1),
            (["endpoint", "create", "--network", "missing", "x"], 2),
            (["endpoint", "create", "--network", "good", "ep"], 2),
            (["endpoint", "create", "--network", "good", "x", "--publish", "0:80"], 1),
            (["endpoint", "create", "--network", "good", "x", "--publish", "70000:80"], 1),
            (["endpoint", "create", "--network", "good", "x", "--publish", "8000-8002:80-81"], 1),
            (["endpoint", "create", "--network", "good", "x", "--publish", "8000:80/sctp"], 1),
            (["endpoint", "create", "--network", "good", "x", "--publish", "203.0.113.9:8000:80"], 1),
            (["endpoint", "create", "--network", "good", "x", "--publish", "8000:80", "--publish", "8000:81"], 2),
            (["endpoint", "create", "--network", "good", "x", "--publish", "7001:80"], 2),
            (["connect", "good", "sb2", "--publish", "7001:80"], 2),
            (["connect", "inner", "sb2", "--publish", "7002:80"], 1),
            (["join", "ep", "sb2"], 2),
            (["join", "nope", "sb"], 2),
            (["join", "spare", "nosuch"], 2),
            (["join", "spare", "sb"], 2),
            (["join", "spare", "sb2", "--ifname", "bad/name"], 1),
            (["join", "spare", "sb2", "--ifname", "lo"], 2),
            (["leave", "spare"], 2),
            (["sandbox", "create", "sb"], 2),
            (["sandbox", "create", "z", "--dns", "notanip"], 1),
            (["sandbox", "create", "z", "--add-host", "foo\nbar:1.2.3.4"], 1),
            (["sandbox", "create", "z", "--add-host", "foo"], 1),
            (["sandbox", "create", "z", "--add-host", "foo:1.2.3"], 1),
            (["sandbox", "create", "z", "--hostname", "-bad"], 1),
            (["sandbox", "create", "z", "--netns", "relative/path"], 1),
            (["sandbox", "rm", "../etc"], 1),
            (["network", "rm", "good"], 2),
            (["network", "rm", "nosuch"], 2),
            (["endpoint", "rm", "ep"], 2),
            (["inspect", "nosuch"], 2),
            (["network", "ls", "--filter", "bogus=1"], 1),
            (["exec", "sb"], 1),
            (["exec", "nosuch", "--", "true"], 2),
            (["--state-dir", "relative", "network", "ls"], 1),
            (["network", "ls", "--state-dir", "relative"], 1),
            (["frobnicate"], 1),
        ]
        XCTAssertGreaterThanOrEqual(cases.count, 40)

        let firewall = swnetFirewallLines()
        let state = stateBytes()
        let links = addressSummary()
        let sandboxLinks = addressSummary("-n", "sb")
        let snapshot = hostSnapshot()
        for (arguments, status) in cases {
            let result = swnet(arguments)
            let label = arguments.joined(separator: " ")
            XCTAssertEqual(result.status, status, "\(label): \(result.error)")
            let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.count, 2, "\(label): one line expected, got \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("swnet: error: "), "\(label): \(result.error)")
            XCTAssertEqual(stateBytes(), state, "\(label) changed the state")
            XCTAssertEqual(hostSnapshot(), snapshot, "\(label) changed the host")
            XCTAssertEqual(swnetFirewallLines(), firewall, "\(label) changed the firewall")
        }
        XCTAssertEqual(addressSummary(), links)
        XCTAssertEqual(addressSummary("-n", "sb"), sandboxLinks)

        swnetOK("sandbox", "rm", "sb", "sb2")
        swnetOK("network", "rm", "--force", "good", "inner")
    }

    /// "interface address/prefix" for every address, in a namespace when given `-n NAME`.
    private func addressSummary(_ namespace: String...) -> [String] {
        ipJSON(namespace + ["addr", "show"]).flatMap { link in
            ((link["addr_info"] as? [[String: Any]]) ?? []).map { info in
                "\(link["ifname"] ?? "") \(info["local"] ?? "")/\(info["prefixlen"] ?? "")"
            }
        }.sorted()
    }
}
