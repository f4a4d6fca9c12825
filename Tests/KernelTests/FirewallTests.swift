import Foundation
import XCTest

/// The bridge firewall with real packets: published ports from every direction, masquerade,
/// isolation, internal networks, icc=false, IPv6 and UDP.
final class FirewallTests: PrivateHostTestCase {
    func testPublishedPortIsReachableFromOutsideTheHostItselfAndHairpin() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "front", "--subnet", "10.81.0.0/24")
        swnetOK("sandbox", "create", "web")
        swnetOK("sandbox", "create", "peer")
        swnetOK("connect", "front", "web", "--publish", "8080:80", "--publish", "127.0.0.1:9090:80")
        swnetOK("connect", "front", "peer")
        let server = try startServer(in: "web", port: 80, token: "web")
        defer { server.terminate() }

        // Another host, through the host's address: the sandbox sees the client's own address.
        XCTAssertEqual(ask("192.0.2.1", 8080, from: "outside"), "web 192.0.2.2")
        // The host itself, through 127.0.0.1 and through its own address.
        XCTAssertEqual(ask("127.0.0.1", 8080).map { $0.hasPrefix("web ") }, true)
        XCTAssertEqual(ask("127.0.0.1", 9090).map { $0.hasPrefix("web ") }, true)
        XCTAssertEqual(ask("192.0.2.1", 8080).map { $0.hasPrefix("web ") }, true)
        // Hairpin: another sandbox of the network, and the publishing sandbox itself.
        XCTAssertEqual(ask("192.0.2.1", 8080, from: "peer").map { $0.hasPrefix("web ") }, true)
        XCTAssertEqual(ask("192.0.2.1", 8080, from: "web").map { $0.hasPrefix("web ") }, true)
        // The unpublished port stays closed to the outside.
        XCTAssertNil(ask("10.81.0.2", 80, from: "outside", timeout: 1))

        swnetOK("sandbox", "rm", "web", "peer")
        XCTAssertNil(ask("192.0.2.1", 8080, from: "outside", timeout: 1), "the port goes with its endpoint")
        swnetOK("network", "rm", "front")
    }

    func testLoopbackPortIsNotReachableFromOtherHosts() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "front", "--subnet", "10.82.0.0/24")
        swnetOK("sandbox", "create", "web")
        swnetOK("connect", "front", "web", "--publish", "127.0.0.1:9091:80")
        let server = try startServer(in: "web", port: 80, token: "web")
        defer { server.terminate() }
        XCTAssertEqual(ask("127.0.0.1", 9091).map { $0.hasPrefix("web ") }, true)

        // A neighbour that routes 127.0.0.1 to us (moby#45610) gets nothing.
        for step in [["sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1"],
                     ["sysctl", "-qw", "net.ipv4.conf.eth0.route_localnet=1"],
                     ["ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local"],
                     ["ip", "route", "add", "127.0.0.1/32", "via", "192.0.2.1"]] {
            XCTAssertEqual(runProgram("/usr/bin/env", ["ip", "netns", "exec", "outside"] + step).status, 0, step.joined(separator: " "))
        }
        XCTAssertNil(ask("127.0.0.1", 9091, from: "outside", timeout: 1))
        XCTAssertNil(ask("192.0.2.1", 9091, from: "outside", timeout: 1))
        swnetOK("sandbox", "rm", "web")
        swnetOK("network", "rm", "front")
    }

    func testOutboundTrafficIsMasqueradedUnlessDisabled() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        let server = try startServer(in: "outside", port: 7000, token: "outside")
        defer { server.terminate() }
        swnetOK("network", "create", "masq", "--subnet", "10.83.0.0/24")
        swnetOK("network", "create", "plain", "--subnet", "10.84.0.0/24", "--opt", "masquerade=false")
        swnetOK("sandbox", "create", "a")
        swnetOK("sandbox", "create", "b")
        swnetOK("connect", "masq", "a")
        swnetOK("connect", "plain", "b")
        XCTAssertEqual(ask("192.0.2.2", 7000, from: "a"), "outside 192.0.2.1")
        XCTAssertEqual(ask("192.0.2.2", 7000, from: "b"), "outside 10.84.0.2", "masquerade=false keeps the sandbox's address")
        swnetOK("sandbox", "rm", "a", "b")
        swnetOK("network", "rm", "masq", "plain")
    }

    func testNetworksAreIsolatedBothWaysAndInternalHasNoWayOut() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        let server = try startServer(in: "outside", port: 7001, token: "outside")
        defer { server.terminate() }
        swnetOK("network", "create", "red", "--subnet", "10.85.1.0/24")
        swnetOK("network", "create", "blue", "--subnet", "10.85.2.0/24")
        swnetOK("network", "create", "vault", "--subnet", "10.85.3.0/24", "--internal")
        for (sandbox, network) in [("r", "red"), ("b", "blue"), ("v1", "vault"), ("v2", "vault")] {
            swnetOK("sandbox", "create", sandbox)
            swnetOK("connect", network, sandbox)
        }
        let servers = try ["r", "b", "v1", "v2"].map { try startServer(in: $0, port: 7100, token: $0) }
        defer { servers.forEach { $0.terminate() } }

        XCTAssertEqual(ask("192.0.2.2", 7001, from: "r"), "outside 192.0.2.1", "red reaches the outside")
        XCTAssertNil(ask("10.85.2.2", 7100, from: "r", timeout: 1), "red cannot reach blue")
        XCTAssertNil(ask("10.85.1.2", 7100, from: "b", timeout: 1), "blue cannot reach red")
        XCTAssertNil(ask("10.85.3.2", 7100, from: "r", timeout: 1), "red cannot reach the internal network")
        XCTAssertEqual(ask("10.85.3.3", 7100, from: "v1"), "v2 10.85.3.2", "internal members reach each other")
        XCTAssertNil(ask("192.0.2.2", 7001, from: "v1", timeout: 1), "internal has no way out")
        XCTAssertEqual(runProgram("/usr/bin/env", ["ip", "-n", "v1", "route", "add", "default", "via", "10.85.3.1"]).status, 0)
        XCTAssertNil(ask("192.0.2.2", 7001, from: "v1", timeout: 1), "not even with a route of its own")
        XCTAssertNil(ask("10.85.1.2", 7100, from: "v1", timeout: 1))

        swnetOK("sandbox", "rm", "r", "b", "v1", "v2")
        swnetOK("network", "rm", "red", "blue", "vault")
    }

    func testICCFalseBlocksMembersButNotTheWayOut() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        let server = try startServer(in: "outside", port: 7002, token: "outside")
        defer { server.terminate() }
        swnetOK("network", "create", "quiet", "--subnet", "10.86.0.0/24", "--opt", "icc=false")
        swnetOK("sandbox", "create", "a")
        swnetOK("sandbox", "create", "b")
        swnetOK("connect", "quiet", "a")
        swnetOK("connect", "quiet", "b", "--publish", "8086:80")
        let web = try startServer(in: "b", port: 80, token: "b")
        defer { web.terminate() }
        XCTAssertNil(ask("10.86.0.3", 80, from: "a", timeout: 1), "members cannot talk")
        XCTAssertNotEqual(inSandbox("a", "ping", "-c1", "-W1", "10.86.0.3").status, 0)
        XCTAssertEqual(ask("192.0.2.2", 7002, from: "a"), "outside 192.0.2.1", "the way out stays open")
        XCTAssertEqual(ask("192.0.2.1", 8086, from: "outside"), "b 192.0.2.2", "published ports stay open")
        swnetOK("sandbox", "rm", "a", "b")
        swnetOK("network", "rm", "quiet")
    }

    func testIPv6AndUDPPublishing() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "dual", "--subnet", "10.87.0.0/24", "--subnet", "fd00:87::/64")
        swnetOK("sandbox", "create", "web")
        swnetOK("connect", "dual", "web", "--publish", "8087:80", "--publish", "5353:53/udp")
        let server = try startServer(in: "web", port: 80, token: "web")
        let dns = try startServer(in: "web", port: 53, token: "dns")
        defer { server.terminate(); dns.terminate() }
        XCTAssertEqual(ask("2001:db8::1", 8087, from: "outside"), "web 2001:db8::2")
        XCTAssertEqual(ask("192.0.2.1", 8087, from: "outside"), "web 192.0.2.2")
        XCTAssertEqual(ask("192.0.2.1", 5353, from: "outside", proto: "udp"), "dns 192.0.2.2")
        XCTAssertEqual(ask("2001:db8::1", 5353, from: "outside", proto: "udp"), "dns 2001:db8::2")
        swnetOK("sandbox", "rm", "web")
        swnetOK("network", "rm", "dual")
    }

    func testPortForwardsAreTheJoinedEndpointsAndLeftoversAreCollected() throws {
        swnetOK("network", "create", "dual", "--subnet", "10.85.0.0/24", "--subnet", "fd00:85::/64")
        swnetOK("sandbox", "create", "a")
        swnetOK("connect", "dual", "a", "--publish", "8085:80", "--publish", "127.0.0.1:8086:86/udp")
        XCTAssertEqual(swnetOK("system", "check"), "")
        let elements = { (family: String, map: String) in
            self.host("nft", "-s", "list", "map", family, "swnet", map).output.split(separator: "\n")
                .filter { $0.contains("elements") }
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " counter", with: "") }
        }
        XCTAssertEqual(elements("ip", "ports"), ["elements = { tcp . 8085 : 10.85.0.2 . 80 }"])
        XCTAssertEqual(elements("ip", "addressed"), ["elements = { 127.0.0.1 . udp . 8086 : 10.85.0.2 . 86 }"])
        XCTAssertEqual(elements("ip6", "ports"), ["elements = { tcp . 8085 : fd00:85::2 . 80 }"])
        XCTAssertEqual(elements("ip6", "addressed"), [], "a binding to an IPv4 address is not forwarded over IPv6")

        // What an interrupted command leaves: a forward to an address no endpoint has, and one
        // of a port its endpoint does not publish; and the DNAT rule, chain and jump an older
        // swnet forwarded ports with.
        XCTAssertEqual(host("nft", "add", "element", "ip", "swnet", "ports", "{ tcp . 8087 : 10.85.0.3 . 80 }").status, 0)
        XCTAssertEqual(host("nft", "add", "element", "ip6", "swnet", "ports", "{ udp . 8088 : fd00:85::2 . 80 }").status, 0)
        for command in [["-N", "SWNET"], ["-A", "SWNET", "-p", "tcp", "--dport", "8089", "-j", "DNAT", "--to-destination", "10.85.0.2:80"],
                        ["-I", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-m", "comment", "--comment", "swnet:SWNET", "-j", "SWNET"]] {
            XCTAssertEqual(runProgram("/usr/bin/env", ["iptables-legacy", "-t", "nat"] + command).status, 0, command.joined(separator: " "))
        }
        // Someone else's DNAT rule to the endpoint is not swnet's.
        XCTAssertEqual(host("iptables-legacy", "-t", "nat", "-A", "PREROUTING", "-p", "tcp", "--dport", "8090",
                            "-j", "DNAT", "--to-destination", "10.85.0.2:80").status, 0)
        XCTAssertEqual(swnet("system", "check").output.split(separator: "\n").sorted(), [
            "leftover: iptables rule DNAT to 10.85.0.2 in nat/SWNET",
            "leftover: iptables rule swnet:SWNET in nat/PREROUTING",
            "leftover: port forward tcp 8087 to 10.85.0.3:80",
            "leftover: port forward udp 8088 to [fd00:85::2]:80",
        ])
        swnetOK("system", "gc")
        XCTAssertEqual(swnetOK("system", "check"), "")
        XCTAssertEqual(elements("ip", "ports"), ["elements = { tcp . 8085 : 10.85.0.2 . 80 }"])
        XCTAssertEqual(elements("ip6", "ports"), ["elements = { tcp . 8085 : fd00:85::2 . 80 }"])
        XCTAssertNotEqual(host("iptables-legacy", "-t", "nat", "-S", "SWNET").status, 0, "the old chain is gone")
        XCTAssertTrue(host("iptables-legacy", "-t", "nat", "-S", "PREROUTING").output.contains("--dport 8090"), "not swnet's, not touched")
        XCTAssertEqual(host("iptables-legacy", "-t", "nat", "-D", "PREROUTING", "-p", "tcp", "--dport", "8090",
                            "-j", "DNAT", "--to-destination", "10.85.0.2:80").status, 0)

        // A forward someone deleted is missing; its join is put back by gc.
        XCTAssertEqual(host("nft", "delete", "element", "ip", "swnet", "ports", "{ tcp . 8085 }").status, 0)
        XCTAssertEqual(swnet("system", "check").output, "missing: published ports of endpoint \"a.dual\"\n")
        swnetOK("system", "gc")
        XCTAssertEqual(elements("ip", "ports"), ["elements = { tcp . 8085 : 10.85.0.2 . 80 }"])

        // The whole table flushed away (`nft flush ruleset`): the next publish makes it again.
        XCTAssertEqual(host("nft", "delete", "table", "ip", "swnet").status, 0)
        XCTAssertEqual(swnet("system", "check").output.split(separator: "\n").sorted(),
                       ["missing: nftables table ip swnet", "missing: published ports of endpoint \"a.dual\""])
        swnetOK("sandbox", "create", "b")
        swnetOK("connect", "dual", "b", "--publish", "8091:80")
        XCTAssertEqual(elements("ip", "ports"), ["elements = { tcp . 8091 : 10.85.0.3 . 80 }"])
        swnetOK("system", "restore")
        XCTAssertEqual(swnetOK("system", "check"), "")

        swnetOK("disconnect", "dual", "a")
        XCTAssertEqual(elements("ip", "ports"), ["elements = { tcp . 8091 : 10.85.0.3 . 80 }"])
        XCTAssertEqual(elements("ip6", "ports"), ["elements = { tcp . 8091 : fd00:85::3 . 80 }"])
        swnetOK("sandbox", "rm", "a", "b")
        XCTAssertEqual(elements("ip", "ports") + elements("ip6", "ports") + elements("ip", "addressed"), [])
        swnetOK("network", "rm", "dual")
        XCTAssertNotEqual(host("nft", "list", "table", "ip", "swnet").status, 0, "the last network takes the table")
        XCTAssertEqual(host("nft", "add", "table", "ip6", "swnet").status, 0)
        XCTAssertEqual(swnet("system", "check").output, "leftover: nftables table ip6 swnet\n")
        XCTAssertEqual(swnetOK("system", "gc"), "removed nftables table ip6 swnet")
    }

    func testRepublishedPortIsNotServedByAStaleConnection() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "n", "--subnet", "10.89.0.0/24")
        swnetOK("sandbox", "create", "old")
        swnetOK("connect", "n", "old", "--publish", "5454:53/udp")
        let first = try startServer(in: "old", port: 53, token: "old")
        defer { first.terminate() }
        // The same client socket (address and port) before and after: one conntrack entry.
        XCTAssertEqual(ask("192.0.2.1", 5454, from: "outside", proto: "udp", sourcePort: 40404), "old 192.0.2.2")
        let removal = swnet("sandbox", "rm", "--debug", "old")
        XCTAssertTrue(removal.error.contains("forget the tracked connections of 10.89.0.2"), removal.error)
        swnetOK("sandbox", "create", "new")
        swnetOK("connect", "n", "new", "--publish", "5454:53/udp")
        let second = try startServer(in: "new", port: 53, token: "new")
        defer { second.terminate() }
        XCTAssertEqual(ask("192.0.2.1", 5454, from: "outside", proto: "udp", sourcePort: 40404), "new 192.0.2.2")
        swnetOK("sandbox", "rm", "new")
        // A port nothing ever reached: its rules' counters are 0, so no table walk.
        swnetOK("sandbox", "create", "idle")
        swnetOK("connect", "n", "idle", "--publish", "5455:53/udp")
        let idle = swnet("sandbox", "rm", "--debug", "idle")
        XCTAssertEqual(idle.status, 0, idle.error)
        XCTAssertTrue(idle.error.contains("unpublish the ports"), idle.error)
        XCTAssertFalse(idle.error.contains("forget the tracked connections"), idle.error)
        swnetOK("network", "rm", "n")
    }

    /// A removed forward leaves the last close of swnet's netfilter socket to a child, so that
    /// swnet does not wait for nf_tables to free what it deleted: the child goes once swnet has.
    func testTheChildHoldingTheSocketGoesWithSwnet() throws {
        swnetOK("network", "create", "n", "--subnet", "10.87.0.0/24")
        swnetOK("sandbox", "create", "web")
        swnetOK("connect", "n", "web", "--publish", "8080:80")
        swnetOK("sandbox", "rm", "web")
        let binary = URL(fileURLWithPath: Self.binary).resolvingSymlinksInPath().path
        func running() -> [String] {
            let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return processes.filter { Int($0) != nil }.filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\($0)/exe")) == binary
            }
        }
        var left = running()
        for _ in 0..<100 where !left.isEmpty {
            usleep(20_000)
            left = running()
        }
        XCTAssertEqual(left, [], "a process of swnet's outlived it")
        swnetOK("network", "rm", "n")
    }

    func testEphemeralRangesAndConflicts() throws {
        swnetOK("network", "create", "n", "--subnet", "10.88.0.0/24")
        swnetOK("endpoint", "create", "--network", "n", "a", "--publish", "9000-9002:80-82", "--publish", "81/udp")
        let ports = try XCTUnwrap(try endpointPorts("a"))
        XCTAssertEqual(ports.filter { $0.hasSuffix("/tcp") }, ["9000:80/tcp", "9001:81/tcp", "9002:82/tcp"])
        let ephemeral = try XCTUnwrap(ports.first { $0.hasSuffix(":81/udp") })
        let range = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        let chosen = try XCTUnwrap(Int(ephemeral.prefix { $0 != ":" }))
        XCTAssertTrue(chosen >= range[0] && chosen <= range[1], "\(chosen) outside \(range)")

        let taken = swnet("endpoint", "create", "--network", "n", "b", "--publish", "9001:80")
        XCTAssertEqual(taken.status, 2)
        XCTAssertTrue(taken.error.contains("port 9001/tcp is already published (by endpoint \"a\")"), taken.error)
        // A process on the host holding a port is detected by binding to it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import socket,time; s=socket.socket(); s.bind(('0.0.0.0', 9100)); s.listen(); "
                            + "print('bound', flush=True); time.sleep(30)"]
        let ready = Pipe()
        holder.standardOutput = ready
        try holder.run()
        defer { holder.terminate() }
        // Once it says so, however long a loaded machine takes to start it.
        XCTAssertEqual(String(decoding: ready.fileHandleForReading.readData(ofLength: 6), as: UTF8.self), "bound\n")
        let busy = swnet("endpoint", "create", "--network", "n", "b", "--publish", "9100:80")
        XCTAssertEqual(busy.status, 2)
        XCTAssertTrue(busy.error.contains("port 9100/tcp is in use on the host"), busy.error)
        swnetOK("endpoint", "rm", "a")
        swnetOK("endpoint", "create", "--network", "n", "b", "--publish", "9001:80")
        swnetOK("endpoint", "rm", "b")
        swnetOK("network", "rm", "n")
    }

    private func endpointPorts(_ name: String) throws -> [String]? {
        let output = swnetOK("endpoint", "ls", "--filter", "name=\(name)")
        guard let row = output.split(separator: "\n").dropFirst().first else { return nil }
        return row.split(separator: " ").last.map { $0.split(separator: ",").map(String.init) }
    }

    /// libip4tc and libip6tc are opened by the commands that change a family's tables, and only
    /// then: a command on an IPv4 network never loads libip6tc, one that touches no firewall
    /// loads neither. Seen as the kernel sees it, an open of the library's file: the release
    /// binary is static, and a static program's loader does not answer to LD_DEBUG.
    func testIPTablesLibrariesAreLoadedOnlyForTheFamiliesACommandChanges() throws {
        let libraries = ["libip4tc", "libip6tc"]
        let cache = host("ldconfig", "-p").output.split(separator: "\n")
        let paths = try libraries.map { name in
            let line = try XCTUnwrap(cache.first { $0.contains("\(name).so.2 ") }, "ldconfig knows no \(name).so.2")
            return try XCTUnwrap(line.components(separatedBy: " => ").last)
        }
        let watch = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        XCTAssertGreaterThanOrEqual(watch, 0)
        defer { close(watch) }
        let descriptors = paths.map { inotify_add_watch(watch, $0, UInt32(IN_OPEN)) }
        XCTAssertFalse(descriptors.contains(-1), "cannot watch \(paths)")

        func loaded(_ arguments: String...) -> Set<String> {
            let result = swnet(arguments)
            XCTAssertEqual(result.status, 0, result.error)
            var opened: Set<String> = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while case let count = read(watch, &buffer, buffer.count), count > 0 {
                var offset = 0
                while offset < count {
                    let (descriptor, nameLength) = buffer.withUnsafeBytes { bytes in
                        (bytes.load(fromByteOffset: offset, as: Int32.self),
                         Int(bytes.load(fromByteOffset: offset + 12, as: UInt32.self)))
                    }
                    if let index = descriptors.firstIndex(of: descriptor) { opened.insert(libraries[index]) }
                    offset += MemoryLayout<inotify_event>.size + nameLength
                }
            }
            return opened
        }
        XCTAssertEqual(loaded("network", "create", "plain", "--subnet", "10.93.0.0/24"), ["libip4tc"])
        XCTAssertEqual(loaded("sandbox", "create", "web"), [])
        XCTAssertEqual(loaded("connect", "plain", "web", "--publish", "8080:80"), [], "published ports are nftables'")
        XCTAssertEqual(loaded("network", "ls"), [])
        XCTAssertEqual(loaded("network", "create", "dual", "--subnet", "10.94.0.0/24", "--subnet", "fd00:94::/64"),
                       ["libip4tc", "libip6tc"])
        swnetOK("sandbox", "rm", "web")
        swnetOK("network", "rm", "plain", "dual")
    }

    /// A libiptc failure reaches the user with libiptc's reason: the library's errno, which in
    /// the static release binary lives in the library's own C library, not swnet's.
    func testALibIPTCFailureIsReportedWithItsReason() throws {
        swnetOK("network", "create", "only", "--subnet", "10.95.0.0/24")
        // A chain of the admin's jumping to swnet's: the last network's removal cannot delete it.
        XCTAssertEqual(host("iptables-legacy", "-N", "ADMIN").status, 0)
        XCTAssertEqual(host("iptables-legacy", "-A", "ADMIN", "-j", "SWNET-FORWARD").status, 0)
        let result = swnet("network", "rm", "only")
        XCTAssertEqual(result.status, 3, result.error)
        XCTAssertTrue(result.error.contains("delete chain (iptables, legacy) filter/SWNET-FORWARD: \(String(cString: strerror(EMLINK)))"),
                      result.error)
        swnetOK("network", "inspect", "only")
        XCTAssertEqual(host("iptables-legacy", "-F", "ADMIN").status, 0)
        XCTAssertEqual(host("iptables-legacy", "-X", "ADMIN").status, 0)
        swnetOK("network", "rm", "only")
    }
}
