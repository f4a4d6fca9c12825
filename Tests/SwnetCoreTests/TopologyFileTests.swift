@testable import SwnetCore
import XCTest

/// The topology file's shapes, and the digests that tell an edit from an unchanged object.
final class TopologyFileTests: XCTestCase {
    func testEveryShapeOfTheFileReadsTheSame() throws {
        let yaml = try Topology.parse("""
            name: lab
            networks:
              front:
                subnets: [10.1.0.0/24, "fd00:1::/64"]
                gateway: 10.1.0.254
                mtu: 1400
                options: {icc: false}
              back: ~
            sandboxes:
              web:
                dns: 10.0.0.53
                extra_hosts: {b.example: 192.0.2.2, a.example: 192.0.2.1}
                networks:
                  front: {ip: 10.1.0.10, aliases: www, publish: "8080:80"}
                  back:
                publish: ["9090:90/udp"]
            """, file: "lab.yaml")
        XCTAssertEqual(yaml.name, "lab")
        XCTAssertEqual(yaml.networks.map(\.name), ["front", "back"], "file order is kept")
        XCTAssertEqual(yaml.networks[0].subnets, ["10.1.0.0/24", "fd00:1::/64"])
        XCTAssertEqual(yaml.networks[0].options, ["icc": "false"])
        XCTAssertEqual(yaml.networks[0].mtu, 1400)
        let web = try XCTUnwrap(yaml.sandboxes.first)
        XCTAssertEqual(web.dns, ["10.0.0.53"])
        XCTAssertEqual(web.extraHosts, ["a.example:192.0.2.1", "b.example:192.0.2.2"])
        XCTAssertEqual(web.connections.map(\.network), ["front", "back"])
        XCTAssertEqual(web.connections[0].aliases, ["www"])
        XCTAssertEqual(web.connections[0].publish, ["8080:80", "9090:90/udp"], "a sandbox's publish goes to its first network")

        let json = try Topology.parse("""
            {"networks": {"n": {"internal": true}}, "sandboxes": {"s": {"networks": ["n"]}}}
            """, file: "/tmp/ci-run.json")
        XCTAssertEqual(json.name, "ci-run", "the name defaults to the file's base name")
        XCTAssertTrue(json.networks[0].internal)
        XCTAssertEqual(try Topology.parse("networks: {}\n", file: "x.yaml", project: "p1").name, "p1")

        // Anchors and aliases are YAML too.
        let shared = try Topology.parse("""
            networks:
              a: &common {subnet: 10.2.0.0/24, labels: {team: x}}
              b: *common
            """, file: "y.yaml")
        XCTAssertEqual(shared.networks[1].labels, ["team": "x"])
        XCTAssertEqual(shared.networks[1].subnets, ["10.2.0.0/24"])
    }

    func testErrorsNameTheFileAndLine() {
        XCTAssertThrowsError(try Topology.parse("networks:\n  a:\n    bogus: 1\n", file: "f.yaml")) { error in
            XCTAssertEqual((error as? SwnetError)?.what, "f.yaml:3: unknown key \"bogus\" in network \"a\"")
            XCTAssertEqual((error as? SwnetError)?.exitStatus, 1)
        }
        XCTAssertThrowsError(try Topology.parse("networks: {a: {}\n", file: "g.yaml")) { error in
            XCTAssertTrue((error as? SwnetError)?.what.hasPrefix("g.yaml:2: invalid YAML") == true, "\(error)")
        }
    }

    func testDigestsChangeWithSettingsOnly() throws {
        let one = try Topology.parse("networks:\n  a: {subnet: 10.3.0.0/24}\nsandboxes:\n  s: {hostname: h, networks: [a]}\n", file: "t.yaml")
        let same = try Topology.parse("sandboxes:\n  s:\n    networks: [a]\n    hostname: h\nnetworks:\n  a:\n    subnet: 10.3.0.0/24\n", file: "t.yaml")
        let edited = try Topology.parse("networks:\n  a: {subnet: 10.4.0.0/24}\nsandboxes:\n  s: {hostname: h, networks: [a]}\n", file: "t.yaml")
        XCTAssertEqual(Digest.of(one.networks[0]), Digest.of(same.networks[0]), "key order does not matter")
        XCTAssertEqual(Digest.of(one.sandboxes[0]), Digest.of(same.sandboxes[0]))
        XCTAssertNotEqual(Digest.of(one.networks[0]), Digest.of(edited.networks[0]))
        // A join's digest follows its network's, so a replaced network reconnects its members.
        let connection = one.sandboxes[0].connections[0]
        XCTAssertNotEqual(Digest.of(connection, networkDigest: Digest.of(one.networks[0])),
                          Digest.of(connection, networkDigest: Digest.of(edited.networks[0])))
    }
}

/// Who resolves whom.
final class ServiceDiscoveryTests: XCTestCase {
    private func endpoint(_ name: String, network: String, sandbox: String?, address: String, aliases: [String] = []) -> EndpointRecord {
        EndpointRecord(id: name + "-id", name: name, created: "", networkID: network, networkName: network,
                       ipv4Address: IPAddress(address), ipv6Address: nil, macAddress: nil, aliases: aliases, ports: [],
                       labels: [:], createdByConnect: true, sandboxID: sandbox, sandboxName: sandbox,
                       interfaceName: nil, hostInterfaceName: nil)
    }

    private func sandbox(_ name: String, hostname: String? = nil, endpoints: [String]) -> SandboxRecord {
        SandboxRecord(id: name, name: name, created: "", key: "", ownsNamespace: true, hostname: hostname, domainname: nil,
                      dns: [], dnsSearch: [], extraHosts: [], labels: [:], endpoints: endpoints.map { $0 + "-id" })
    }

    func testASandboxSeesTheMembersOfItsNetworksOnly() {
        let endpoints = [
            endpoint("web.front", network: "front", sandbox: "web", address: "10.1.0.2"),
            endpoint("web.back", network: "back", sandbox: "web", address: "10.2.0.2"),
            endpoint("db.back", network: "back", sandbox: "db", address: "10.2.0.3", aliases: ["pg"]),
            endpoint("cache.front", network: "front", sandbox: "cache", address: "10.1.0.3"),
            endpoint("spare", network: "back", sandbox: nil, address: "10.2.0.9"),
        ]
        let sandboxes = [
            sandbox("web", hostname: "www", endpoints: ["web.front", "web.back"]),
            sandbox("db", endpoints: ["db.back"]),
            sandbox("cache", endpoints: ["cache.front"]),
        ]
        let byID = Dictionary(uniqueKeysWithValues: sandboxes.map { ($0.id, $0) })
        let web = ServiceDiscovery.entries(for: sandboxes[0], endpoints: endpoints, sandboxes: byID)
        XCTAssertEqual(web.map { "\($0.address) \($0.names.joined(separator: " "))" }, [
            "10.1.0.2 www web web.front", "10.2.0.2 www web web.back",
            "10.1.0.3 cache cache.front", "10.2.0.3 db db.back pg",
        ])
        let db = ServiceDiscovery.entries(for: sandboxes[1], endpoints: endpoints, sandboxes: byID)
        XCTAssertEqual(db.map(\.names.first), ["db", "web"], "db is only on back: no cache, no unjoined endpoint")
    }
}
