import Foundation
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

/// Who resolves whom: the per-network name tables.
final class NameTableTests: XCTestCase {
    func testLinesCarryEveryNameAndSurviveTheFile() throws {
        let endpoint = EndpointRecord(
            id: "e1", name: "db.back", created: "", networkID: "n1", networkName: "back",
            ipv4Address: IPAddress("10.2.0.3"), ipv6Address: IPAddress("fd00::3"), macAddress: nil, aliases: ["pg", "db"],
            ports: [], labels: [:], createdByConnect: true, sandboxID: "s1", sandboxName: "db",
            interfaceName: nil, hostInterfaceName: nil)
        let sandbox = SandboxRecord(
            id: "s1", name: "db", created: "", key: "", ownsNamespace: true, hostname: "store", domainname: "lab.test",
            dns: [], dnsSearch: [], extraHosts: [], labels: [:], endpoints: ["e1"])
        let lines = NameTable.lines(for: endpoint, of: sandbox, composed: false)
        XCTAssertEqual(lines.map { $0.entry?.address.description }, ["10.2.0.3", "fd00::3"])
        XCTAssertEqual(lines[0].entry?.names, ["store.lab.test", "store", "db", "db.back", "pg"], "names once each")
        let header = SandboxFiles.tableHeader(forNetwork: "back")
        let table = NameTable(header: header, lines: lines)
        let file = String(decoding: table.file, as: UTF8.self)
        XCTAssertTrue(file.hasPrefix("127.0.0.1\tlocalhost\n"), file)
        XCTAssertTrue(file.contains("10.2.0.3\tstore.lab.test store db db.back pg\t# swnet e1 s1 db shared\n"), file)
        XCTAssertEqual(NameTable(parsing: Array(file.utf8)), table, "a table reads back what it wrote, loopback lines aside")
        XCTAssertEqual(NameTable(parsing: Array(file.utf8), header: header).file, table.file, "the file read is the file written")
        let renamed = NameTable(parsing: Array(file.utf8), header: SandboxFiles.tableHeader(forNetwork: "front"))
        XCTAssertEqual(String(decoding: renamed.file, as: UTF8.self), file.replacingOccurrences(of: "# network back\n", with: "# network front\n"),
                       "another header takes the place of the old one")
        XCTAssertEqual(NameTable(parsing: [], header: header).file, header, "an empty file gets its header")
        let composed = NameTable.lines(for: endpoint, of: sandbox, composed: true)
        let mixed = file + "# a comment\t# swnet not a tag\n10.2.0.9\tx\t# swnet e9 s9 x shared extra\n"
            + String(decoding: NameTable(lines: composed).bytes, as: UTF8.self)
        let read = NameTable(parsing: Array(mixed.utf8))
        XCTAssertEqual(read.lines, lines + composed, "untagged and malformed lines are skipped")
        XCTAssertEqual(read.lines.map(\.composed), [false, false, true, true])
        XCTAssertEqual(read.lines.map(\.sandboxName), ["db", "db", "db", "db"])
        XCTAssertTrue(read.lines[0].belongs(toSandbox: Array("s1".utf8)))
        XCTAssertFalse(read.lines[0].belongs(toSandbox: Array("s".utf8)))
        XCTAssertEqual(read.lines.map(\.sandboxID), ["s1", "s1", "s1", "s1"], "fields of lines read from the middle of a file")
        XCTAssertEqual(read.lines[3].hosts, "fd00::3\tstore.lab.test store db db.back pg")
        XCTAssertTrue(sandbox.composesHosts(networkCount: 2))
        XCTAssertFalse(sandbox.composesHosts(networkCount: 1))
    }

    /// A join or leave edits a table by byte searches: only the lines whose tag names the
    /// sandbox go, whatever else its id matches, and the composing sandboxes are found by tag.
    func testLinesAreRemovedAndComposersFoundByTheirTags() {
        func line(_ address: String, _ names: String, endpoint: String, sandbox: String, _ name: String, composed: Bool = false) -> NameTable.Line {
            NameTable.Line(hosts: "\(address)\t\(names)", endpointID: endpoint, sandboxID: sandbox, sandboxName: name, composed: composed)
        }
        let a = line("10.0.0.2", "a", endpoint: "e1", sandbox: "s1", "a")
        let a6 = line("fd00::2", "a", endpoint: "e1", sandbox: "s1", "a")
        // A sandbox named after s1's id, with an alias that is too: it stays.
        let named = line("10.0.0.3", "s1 s1", endpoint: "e2", sandbox: "s2", "s1", composed: true)
        let c = line("10.0.0.4", "c", endpoint: "e3", sandbox: "s3", "c", composed: true)
        var table = NameTable(lines: [a, named, a6, c])
        XCTAssertEqual(table.composingSandboxes, ["s2": "s1", "s3": "c"])
        table.removeLines(ofSandboxes: [Array("s1".utf8), Array("s9".utf8)])
        XCTAssertEqual(table.lines, [named, c])
        table.removeLines(ofSandboxes: [Array("s3".utf8)])
        XCTAssertEqual(table, NameTable(lines: [named]))
        table.append([a])
        XCTAssertEqual(table.lines, [named, a])
        XCTAssertEqual(table.composingSandboxes, ["s2": "s1"])
        XCTAssertEqual(NameTable(parsing: Array("127.0.0.1\tlocalhost".utf8)), NameTable(), "no tagged line")
        let unterminated = String(decoding: NameTable(lines: [a]).bytes.dropLast(), as: UTF8.self)
        XCTAssertEqual(NameTable(parsing: Array(("# network n\n" + unterminated).utf8)).lines, [a])
    }

    /// A join and a leave become an edit of the file read: lines appended switched off, then
    /// switched on and off one first byte at a time, in the same file (its inode) readers hold.
    func testAnEditIsAPatchOfTheFileReadWhichUndoes() throws {
        func line(_ address: String, sandbox: String, composed: Bool = false) -> NameTable.Line {
            NameTable.Line(hosts: "\(address)\t\(sandbox)", endpointID: "e-" + sandbox, sandboxID: sandbox,
                           sandboxName: sandbox, composed: composed)
        }
        let (a, b, c, d) = (line("10.0.0.2", sandbox: "a"), line("10.0.0.3", sandbox: "b", composed: true),
                            line("10.0.0.4", sandbox: "c"), line("10.0.0.5", sandbox: "d"))
        let header = SandboxFiles.tableHeader(forNetwork: "n")
        let original = NameTable(header: header, lines: [a, b, c]).file
        var table = NameTable(parsing: original, header: header)
        XCTAssertEqual(table.patch, FilePatch(baseSize: original.count, appended: [], switches: []), "unchanged: an empty patch")
        table.removeLines(ofSandboxes: [Array("b".utf8)])
        table.append([d])
        XCTAssertEqual(table.lines, [a, c, d])
        XCTAssertEqual(table, NameTable(header: header, lines: [a, c, d]), "switched-off lines do not count")
        XCTAssertEqual(table.composingSandboxes, [:], "nor does a switched-off line's tag")
        XCTAssertEqual(table.file.count, original.count + d.bytes.count + 1, "nothing moves: the leave is one byte")
        let bStart = try XCTUnwrap(original.firstRange(of: Array("10.0.0.3".utf8))).lowerBound
        XCTAssertEqual(table.file[bStart], UInt8(ascii: "#"), "a switched-off line is a comment to hosts(5)")
        let patch = try XCTUnwrap(table.patch)
        XCTAssertEqual(patch.appended, [UInt8(ascii: "#")] + Array(d.bytes.dropFirst()) + [UInt8(ascii: "\n")],
                       "appended switched off")
        XCTAssertEqual(patch.switches, [.init(offset: original.count, byte: UInt8(ascii: "1"), previous: UInt8(ascii: "#")),
                                        .init(offset: bStart, byte: UInt8(ascii: "#"), previous: UInt8(ascii: "1"))],
                       "the new line on before the old one off")

        let path = NSTemporaryDirectory() + "swnet-patch-" + UUID().uuidString
        defer { unlink(path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(original)))
        let inode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
        XCTAssertTrue(try patch.apply(to: path))
        XCTAssertEqual(try FileIO.read(path), table.file)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int, inode, "the same file")
        XCTAssertFalse(try patch.apply(to: path), "a file of another size is not the one it was made for")
        XCTAssertEqual(try FileIO.read(path), table.file, "and is left alone")
        try patch.undo(at: path)
        XCTAssertEqual(try FileIO.read(path), original)

        // Read back, the switched-off line stays off and is not matched again.
        var again = NameTable(parsing: table.file, header: header)
        again.removeLines(ofSandboxes: [Array("b".utf8), Array("c".utf8)])
        XCTAssertEqual(try XCTUnwrap(again.patch).switches.map(\.offset),
                       [try XCTUnwrap(table.file.firstRange(of: Array("10.0.0.4".utf8))).lowerBound])
        XCTAssertNil(NameTable(parsing: Array(original.dropLast()), header: header).patch, "a file cut short is written whole")
        XCTAssertNil(NameTable(parsing: original, header: SandboxFiles.tableHeader(forNetwork: "m")).patch,
                     "so is one whose header changes")
    }

    /// Switched-off lines are dropped once they outweigh both the threshold and the lines on.
    func testASparseTableIsWrittenAfresh() {
        let lines = (0..<1200).map {
            NameTable.Line(hosts: "10.0.\($0 / 250).\($0 % 250 + 2)\tsandbox-\($0) sandbox-\($0).network", endpointID: "endpoint-\($0)",
                           sandboxID: "id-\($0)", sandboxName: "sandbox-\($0)", composed: false)
        }
        let header = SandboxFiles.tableHeader(forNetwork: "n")
        var table = NameTable(parsing: NameTable(header: header, lines: lines).file, header: header)
        table.removeLines(ofSandboxes: (0..<500).map { Array("id-\($0)".utf8) })
        table.compactIfSparse()
        XCTAssertNotNil(table.patch, "fewer off than on: kept")
        table.removeLines(ofSandboxes: (500..<1199).map { Array("id-\($0)".utf8) })
        table.compactIfSparse()
        XCTAssertNil(table.patch, "written whole")
        XCTAssertEqual(table.file, NameTable(header: header, lines: [lines[1199]]).file)
        var small = NameTable(parsing: NameTable(header: header, lines: Array(lines[..<10])).file, header: header)
        small.removeLines(ofSandboxes: (0..<9).map { Array("id-\($0)".utf8) })
        small.compactIfSparse()
        XCTAssertNotNil(small.patch, "under the threshold: kept")
    }
}
