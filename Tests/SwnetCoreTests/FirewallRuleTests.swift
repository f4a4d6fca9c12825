import KernelOps
@testable import SwnetCore
import XCTest

final class FirewallRuleTests: XCTestCase {
    func testPublishParsing() throws {
        let plain = try PublishRequest(parsing: "8080:80")
        XCTAssertEqual(plain.hostPorts, 8080...8080)
        XCTAssertEqual(plain.containerPorts, 80...80)
        XCTAssertEqual(plain.transport, .tcp)
        XCTAssertNil(plain.hostIP)
        let ranged = try PublishRequest(parsing: "127.0.0.1:9000-9002:90-92/udp")
        XCTAssertEqual(ranged.hostIP?.description, "127.0.0.1")
        XCTAssertEqual(ranged.hostPorts, 9000...9002)
        XCTAssertEqual(ranged.transport, .udp)
        let ephemeral = try PublishRequest(parsing: "53/udp")
        XCTAssertNil(ephemeral.hostPorts)
        let v6 = try PublishRequest(parsing: "[::1]:8080:80")
        XCTAssertEqual(v6.hostIP?.description, "::1")
        XCTAssertNil(try PublishRequest(parsing: "0.0.0.0:8080:80").hostIP, "0.0.0.0 means every address")
        XCTAssertNil(try PublishRequest(parsing: "10.0.0.1::80").hostPorts)
        for bad in ["", "0:80", "65536:80", "80:", "8080:80/sctp", "9000-9001:80", "9001-9000:80-81", "a:80",
                    "1.2.3:80:80", "[::1:80:80", "8080:80:70:60", "-1:80", "80/"] {
            XCTAssertThrowsError(try PublishRequest(parsing: bad), bad)
        }
    }

    private func network(isInternal: Bool = false, options: [String: String] = [:], ipv6: Bool = false) throws -> NetworkRecord {
        var spaces = [AddressSpace(subnet: try Subnet(parsing: "10.9.0.0/24"), gateway: IPAddress("10.9.0.1"), ipRange: nil)]
        if ipv6 { spaces.append(AddressSpace(subnet: try Subnet(parsing: "fd00:9::/64"), gateway: IPAddress("fd00:9::1"), ipRange: nil)) }
        return NetworkRecord(id: "n1", name: "n", driver: "bridge", created: "", bridgeName: "br9", mtu: nil, ipv6: ipv6,
                             internal: isInternal, options: options, labels: [:], ipam: spaces)
    }

    private func rules(_ batches: [FirewallBatch], _ family: IPFamily, _ table: String) -> [FirewallRule] {
        batches.filter { $0.family == family && $0.table == table }.flatMap(\.changes).compactMap {
            if case .addRule(_, let rule, _) = $0 { return rule }
            return nil
        }
    }

    func testNetworkRulesFollowTheOptions() throws {
        let firewall = BridgeFirewall()
        let normal = firewall.setUp(try network())
        XCTAssertEqual(rules(normal, .v4, "nat").filter { $0.outInterface == .not("br9") }.count, 1, "masquerade")
        XCTAssertTrue(rules(normal, .v4, "filter").contains { $0.inInterface == .is("br9") && $0.outInterface == .is("br9") && $0.verdict == .accept })

        let quiet = firewall.setUp(try network(options: ["icc": "false", "masquerade": "false"]))
        XCTAssertFalse(rules(quiet, .v4, "nat").contains { $0.outInterface == .not("br9") }, "no masquerade")
        XCTAssertTrue(rules(quiet, .v4, "filter").contains { $0.inInterface == .is("br9") && $0.outInterface == .is("br9") && $0.verdict == .drop })

        let vault = firewall.setUp(try network(isInternal: true))
        XCTAssertFalse(rules(vault, .v4, "nat").contains { $0.outInterface == .not("br9") })
        XCTAssertFalse(rules(vault, .v4, "filter").contains { $0.inInterface == .is("br9") && $0.outInterface == .not("br9") && $0.verdict == .accept })
        XCTAssertTrue(rules(vault, .v4, "filter").contains { $0.inInterface == .is("br9") && $0.outInterface == .not("br9") && $0.verdict == .drop })

        let dual = firewall.setUp(try network(ipv6: true))
        XCTAssertFalse(rules(dual, .v6, "filter").isEmpty)
        XCTAssertFalse(rules(dual, .v6, "nat").contains { $0.source == .is("127.0.0.0/8") })
        // Every rule carries its owner's mark; every change set first clears the owner's old rules.
        XCTAssertTrue((rules(dual, .v4, "nat") + rules(dual, .v6, "filter")).allSatisfy { $0.comment == "swnet:n1" })
        XCTAssertTrue(dual.filter { $0.table == "filter" }.allSatisfy { $0.changes.contains(.deleteRules(chain: "SWNET-FORWARD", matching: .comment("swnet:n1"))) })
    }

    func testTearDownRemovesChainsOnlyWithTheLastNetwork() throws {
        let firewall = BridgeFirewall()
        let keep = firewall.tearDown(try network(ipv6: true), lastOf: [.v6])
        let v4 = keep.filter { $0.family == .v4 }.flatMap(\.changes)
        let v6 = keep.filter { $0.family == .v6 }.flatMap(\.changes)
        XCTAssertFalse(v4.contains(.deleteChain("SWNET-FORWARD")))
        XCTAssertTrue(v6.contains(.deleteChain("SWNET-FORWARD")))
        XCTAssertTrue(v6.contains(.deleteChain("SWNET")), "an older swnet's nat chain goes too")
        XCTAssertEqual(keep.filter { $0.table == PortForward.table }.map(\.family), [.v6])
        XCTAssertTrue(v6.contains(.removePortForwarding))
    }

    func testPublishedPortRules() throws {
        let network = try network()
        let endpoint = EndpointRecord(
            id: "e1", name: "e", created: "", networkID: "n1", networkName: "n", ipv4Address: IPAddress("10.9.0.2"),
            ipv6Address: nil, macAddress: nil, aliases: [],
            ports: [PortBinding(transport: .tcp, hostIP: nil, hostPort: 8080, containerPort: 80),
                    PortBinding(transport: .udp, hostIP: IPAddress("127.0.0.1"), hostPort: 5353, containerPort: 53)],
            labels: [:], createdByConnect: false, sandboxID: nil, sandboxName: nil, interfaceName: nil, hostInterfaceName: nil)
        let batches = BridgeFirewall().publish(endpoint, on: network)
        XCTAssertTrue(rules(batches, .v4, "nat").isEmpty, "published ports are not iptables rules")
        let forwards = [
            PortForward(hostAddress: nil, transport: .tcp, hostPort: 8080, address: "10.9.0.2", port: 80),
            PortForward(hostAddress: "127.0.0.1", transport: .udp, hostPort: 5353, address: "10.9.0.2", port: 53),
        ]
        XCTAssertEqual(batches.filter { $0.table == PortForward.table },
                       [FirewallBatch(family: .v4, table: PortForward.table, changes: forwards.map { .forwardPort($0) })])
        XCTAssertEqual(BridgeFirewall().unpublish(endpoint, on: network), [
            FirewallBatch(family: .v4, table: PortForward.table, changes: forwards.map { .stopForwarding($0) }),
            FirewallBatch(family: .v4, table: "raw", changes: [.deleteRules(chain: "PREROUTING", matching: .comment("swnet:e1"))]),
        ])
        XCTAssertEqual(BridgeFirewall().setUp(network).filter { $0.table == PortForward.table },
                       [FirewallBatch(family: .v4, table: PortForward.table, changes: [.ensurePortForwarding])])
        let raw = rules(batches, .v4, "raw")
        XCTAssertEqual(raw.count, 1, "only the loopback binding is guarded")
        XCTAssertEqual(raw.first?.inInterface, .not("lo"))
        XCTAssertTrue(rules(batches, .v4, "filter").isEmpty, "the network's one DNAT accept covers every port")
        XCTAssertTrue(rules(BridgeFirewall().setUp(network), .v4, "filter").contains {
            $0.connectionStates == [.dnat] && $0.inInterface == .not("br9") && $0.outInterface == .is("br9") && $0.verdict == .accept
        })
        XCTAssertFalse(batches.contains { $0.family == .v6 }, "no IPv6 address, no IPv6 forwards")
    }
}
