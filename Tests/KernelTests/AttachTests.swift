import Foundation
import XCTest

/// Networks, sandboxes and joins on the real kernel, checked with `ip` and real packets.
final class AttachTests: PrivateHostTestCase {
    func testTwoSandboxesOnABridgePingEachOther() throws {
        let networkID = swnetOK("network", "create", "front", "--subnet", "10.91.0.0/24")
        swnetOK("sandbox", "create", "web", "--hostname", "web", "--domainname", "lab.test")
        swnetOK("sandbox", "create", "db")
        let endpointID = swnetOK("endpoint", "create", "--network", "front", "web-front")
        swnetOK("join", "web-front", "web")
        let hostInterface = try XCTUnwrap(inspect("endpoint", "web-front")["hostInterfaceName"] as? String)
        swnetOK("connect", "front", "db")

        // The bridge: up, gateway address, swnet's mark.
        let bridgeName = "swbr-" + networkID.prefix(10)
        let bridge = try XCTUnwrap(ipJSON("addr", "show", "dev", bridgeName).first)
        XCTAssertEqual(ipJSON("link", "show", "dev", bridgeName).first?["ifalias"] as? String, "swnet:" + networkID)
        XCTAssertTrue((bridge["flags"] as? [String])?.contains("UP") == true)
        XCTAssertEqual(addresses(bridge), ["10.91.0.1/24"])

        // The host end of the veth: a port of the bridge, named after the endpoint id, marked,
        // up, and without IPv6 of its own (no link-local address or routes in the host's table).
        let hostEnd = try XCTUnwrap(ipJSON("link", "show", "dev", hostInterface).first)
        XCTAssertEqual(hostEnd["master"] as? String, bridgeName)
        XCTAssertEqual(hostEnd["ifalias"] as? String, "swnet:" + endpointID)
        XCTAssertTrue((hostEnd["flags"] as? [String])?.contains("UP") == true)
        let hostEndAddresses = try XCTUnwrap(ipJSON("addr", "show", "dev", hostInterface).first)
        XCTAssertEqual((hostEndAddresses["addr_info"] as? [Any])?.count ?? 0, 0, "no address, link-local included")
        XCTAssertEqual(host("cat", "/proc/sys/net/ipv6/conf/\(hostInterface)/disable_ipv6").output, "1\n")
        XCTAssertEqual(ipJSON("-6", "route", "show", "table", "all", "dev", hostInterface).count, 0)
        // One queue each way on both ends, asked for at creation (the kernel's default is one
        // per CPU, cut to one in a grace period per end).
        for (namespace, name) in [(nil, hostInterface), ("web", "eth0")] {
            let details = try XCTUnwrap(ipJSON((namespace.map { ["-n", $0] } ?? []) + ["-d", "link", "show", "dev", name]).first)
            XCTAssertEqual(details["num_tx_queues"] as? Int, 1, name)
            XCTAssertEqual(details["num_rx_queues"] as? Int, 1, name)
        }

        // Inside the sandbox: lo and eth0 up, the first address, the MAC derived from it, the
        // default route via the gateway.
        let links = ipJSON("-n", "web", "addr", "show")
        XCTAssertEqual(links.compactMap { $0["ifname"] as? String }, ["lo", "eth0"])
        let eth0 = try XCTUnwrap(links.last)
        XCTAssertEqual(addresses(eth0), ["10.91.0.2/24"])
        XCTAssertEqual(eth0["address"] as? String, "02:42:0a:5b:00:02")
        XCTAssertTrue((links.first?["flags"] as? [String])?.contains("UP") == true)
        let routes = ipJSON("-n", "web", "route", "show", "default")
        XCTAssertEqual(routes.first?["gateway"] as? String, "10.91.0.1")
        XCTAssertEqual(routes.first?["dev"] as? String, "eth0")
        // IPv6 off on an IPv4-only network's interface, set in the sandbox and nowhere else: the
        // sandbox's defaults and the host's stay as the kernel made them.
        XCTAssertEqual(inSandbox("web", "cat", "/proc/sys/net/ipv6/conf/eth0/disable_ipv6").output, "1\n")
        XCTAssertEqual(inSandbox("web", "cat", "/proc/sys/net/ipv6/conf/default/disable_ipv6").output, "0\n")
        XCTAssertEqual(inSandbox("web", "cat", "/proc/sys/net/ipv6/conf/default/accept_dad").output, "1\n")
        XCTAssertEqual(host("cat", "/proc/sys/net/ipv6/conf/default/accept_dad").output, "1\n")

        // Real packets, both ways, and to the gateway.
        XCTAssertEqual(inSandbox("web", "ping", "-c1", "-W2", "10.91.0.3").status, 0)
        XCTAssertEqual(inSandbox("db", "ping", "-c1", "-W2", "10.91.0.2").status, 0)
        XCTAssertEqual(inSandbox("db", "ping", "-c1", "-W2", "10.91.0.1").status, 0)

        // The sandbox's files, through ip netns exec and swnet exec alike.
        let hosts = inSandbox("web", "cat", "/etc/hosts").output
        XCTAssertTrue(hosts.contains("10.91.0.2\tweb.lab.test web"), hosts)
        let exec = swnet("exec", "web", "--", "sh", "-c", "hostname; grep -c web.lab.test /etc/hosts; ip -o -4 addr show eth0")
        XCTAssertEqual(exec.status, 0, exec.error)
        XCTAssertTrue(exec.output.hasPrefix("web\n1\n"), exec.output)
        XCTAssertTrue(exec.output.contains("10.91.0.2/24"), exec.output)
        XCTAssertEqual(swnet("exec", "web", "--", "sh", "-c", "exit 7").status, 7)
        XCTAssertEqual(swnet("exec", "web", "--", "/nonexistent/program").status, 127)

        // Removing a sandbox takes its interface away; the other keeps working alone.
        swnetOK("sandbox", "rm", "db")
        XCTAssertEqual(swnet("endpoint", "inspect", "db.front").status, 2, "connect's endpoint goes with its sandbox")
        XCTAssertNotEqual(inSandbox("web", "ping", "-c1", "-W1", "10.91.0.3").status, 0)
        swnetOK("leave", "web-front")
        XCTAssertEqual(ipJSON("-n", "web", "link", "show").compactMap { $0["ifname"] as? String }, ["lo"])
        swnetOK("endpoint", "rm", "web-front")
        swnetOK("sandbox", "rm", "web")
        swnetOK("network", "rm", "front")
    }

    func testEndpointRejoinsRightAfterItsSandboxIsRemoved() throws {
        swnetOK("network", "create", "n", "--subnet", "10.98.0.0/24")
        swnetOK("endpoint", "create", "--network", "n", "keeper")
        for round in 0..<5 {
            // The previous sandbox's veth may still be on its way out in the kernel; the new join
            // must not trip over it.
            swnetOK("sandbox", "create", "s\(round)")
            swnetOK("join", "keeper", "s\(round)")
            XCTAssertEqual(addresses(try XCTUnwrap(ipJSON("-n", "s\(round)", "addr", "show", "eth0").first)), ["10.98.0.2/24"])
            swnetOK("sandbox", "rm", "s\(round)")
        }
        XCTAssertNil(try inspect("endpoint", "keeper")["sandboxID"] as? String)
        swnetOK("endpoint", "rm", "keeper")
        swnetOK("network", "rm", "n")
    }

    func testDualStackNetworkGetsAUniqueLocalSubnetAndCarriesIPv6() throws {
        swnetOK("network", "create", "v6net", "--ipv6")
        let network = try inspect("network", "v6net")
        let subnets = (network["ipam"] as? [[String: Any]])?.compactMap { $0["subnet"] as? String } ?? []
        XCTAssertEqual(subnets.count, 2)
        XCTAssertTrue(subnets[1].hasPrefix("fd") && subnets[1].hasSuffix("::/64"), "\(subnets)")
        swnetOK("sandbox", "create", "a")
        swnetOK("sandbox", "create", "b")
        swnetOK("connect", "v6net", "a")
        swnetOK("connect", "v6net", "b")
        let b = try inspect("endpoint", "b.v6net")
        let bAddress = try XCTUnwrap(b["ipv6Address"] as? String)
        // The bridge ports have no IPv6 of their own; the bridge carries IPv6 between sandboxes
        // and up to its own gateway address all the same.
        let port = try XCTUnwrap(b["hostInterfaceName"] as? String)
        XCTAssertEqual(host("cat", "/proc/sys/net/ipv6/conf/\(port)/disable_ipv6").output, "1\n")
        // The sandbox's end skips duplicate address detection: its link-local address is usable
        // at once, not tentative for a second.
        XCTAssertEqual(inSandbox("a", "cat", "/proc/sys/net/ipv6/conf/eth0/accept_dad").output, "0\n")
        // (ip's JSON lists an address the scope filter left out as an empty object.)
        let linkLocal = (ipJSON("-n", "a", "-6", "addr", "show", "dev", "eth0", "scope", "link")
            .first?["addr_info"] as? [[String: Any]] ?? []).filter { $0["local"] != nil }
        XCTAssertEqual(linkLocal.count, 1, "\(linkLocal)")
        XCTAssertNil(linkLocal.first?["tentative"], "\(linkLocal)")
        XCTAssertEqual(inSandbox("a", "ping", "-6", "-c1", "-W2", bAddress).status, 0)
        let gateway = try XCTUnwrap((network["ipam"] as? [[String: Any]])?.last?["gateway"] as? String)
        XCTAssertEqual(inSandbox("b", "ping", "-6", "-c1", "-W2", gateway).status, 0)
        let defaultV6 = ipJSON("-n", "a", "-6", "route", "show", "default")
        XCTAssertEqual(defaultV6.first?["dev"] as? String, "eth0")
        swnetOK("sandbox", "rm", "a", "b")
        swnetOK("network", "rm", "v6net")
    }

    func testSecondNetworkTakesOverTheDefaultRouteWhenTheFirstLeaves() throws {
        swnetOK("network", "create", "one", "--subnet", "10.92.1.0/24")
        swnetOK("network", "create", "two", "--subnet", "10.92.2.0/24", "--gateway", "10.92.2.254")
        swnetOK("network", "create", "inside", "--internal", "--subnet", "10.92.3.0/24")
        swnetOK("sandbox", "create", "s")
        swnetOK("connect", "inside", "s")
        XCTAssertEqual(ipJSON("-n", "s", "route", "show", "default").count, 0, "an internal network gives no way out")
        swnetOK("connect", "one", "s")
        swnetOK("connect", "two", "s", "--ifname", "uplink")
        XCTAssertEqual(ipJSON("-n", "s", "route", "show", "default").first?["gateway"] as? String, "10.92.1.1")
        XCTAssertEqual(ipJSON("-n", "s", "link", "show").compactMap { $0["ifname"] as? String }, ["lo", "eth0", "eth1", "uplink"])
        swnetOK("disconnect", "one", "s")
        let again = swnet("disconnect", "one", "s")
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(again.error, "swnet: error: sandbox \"s\" is not on network \"one\"; see 'swnet sandbox inspect s'\n")
        let routes = ipJSON("-n", "s", "route", "show", "default")
        XCTAssertEqual(routes.first?["gateway"] as? String, "10.92.2.254")
        XCTAssertEqual(routes.first?["dev"] as? String, "uplink")
        swnetOK("sandbox", "rm", "s")
        swnetOK("network", "rm", "one", "two", "inside")
    }

    func testNullNetworkLeavesOnlyLoopback() throws {
        swnetOK("network", "create", "none", "--driver", "null")
        swnetOK("sandbox", "create", "isolated")
        swnetOK("connect", "none", "isolated")
        XCTAssertEqual(ipJSON("-n", "isolated", "link", "show").compactMap { $0["ifname"] as? String }, ["lo"])
        XCTAssertEqual(inSandbox("isolated", "ping", "-c1", "-W1", "127.0.0.1").status, 0, "lo is up")
        swnetOK("sandbox", "rm", "isolated")
        swnetOK("network", "rm", "none")
    }

    func testAdoptedNamespaceIsUsedButNeverDeleted() throws {
        XCTAssertEqual(host("ip", "netns", "add", "outside").status, 0)
        defer { host("ip", "netns", "del", "outside") }
        swnetOK("network", "create", "n", "--subnet", "10.93.0.0/24")
        swnetOK("sandbox", "create", "adopted", "--netns", "/run/netns/outside")
        swnetOK("connect", "n", "adopted")
        XCTAssertEqual(addresses(try XCTUnwrap(ipJSON("-n", "outside", "addr", "show", "eth0").first)), ["10.93.0.2/24"])
        swnetOK("sandbox", "rm", "adopted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: "/run/netns/outside"))
        XCTAssertEqual(ipJSON("-n", "outside", "link", "show").compactMap { $0["ifname"] as? String }, ["lo"])
        swnetOK("network", "rm", "n")
        XCTAssertEqual(swnet("sandbox", "create", "bad", "--netns", "/etc/hostname").status, 1)
    }

    /// A sandbox's namespace is bound in a shared mount, so a mount namespace copied from the
    /// host's (a container runtime's, a systemd service's) sees it come and go.
    func testSandboxNamespacesAppearAndGoInOtherMountNamespaces() throws {
        swnetOK("sandbox", "create", "before")
        let other = Process()
        other.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        other.arguments = ["--mount", "--propagation", "unchanged", "sleep", "60"]
        try other.run()
        defer { other.terminate(); other.waitUntilExit() }
        let ours = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/mnt")
        func inOtherNamespace() -> Bool {
            let theirs = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(other.processIdentifier)/ns/mnt")
            return theirs != nil && theirs != ours
        }
        for _ in 0..<200 where !inOtherNamespace() { usleep(10_000) }
        XCTAssertTrue(inOtherNamespace(), "unshare made a mount namespace of its own")
        let before = netnsDirectory + "/before", after = netnsDirectory + "/after"
        XCTAssertNotNil(mounts(of: other.processIdentifier)[before], "the other mount namespace copied the host's")

        swnetOK("sandbox", "create", "after")
        XCTAssertNotNil(mounts(of: other.processIdentifier)[after], "a namespace bound later reaches the other mount namespace")
        XCTAssertTrue(try XCTUnwrap(mounts(of: getpid())[after]).contains { $0.hasPrefix("shared:") })
        swnetOK("sandbox", "rm", "before", "after")
        let left = mounts(of: other.processIdentifier)
        XCTAssertNil(left[before], "unbinding reaches the other mount namespace")
        XCTAssertNil(left[after])
    }

    /// A process's mount points, each with its propagation fields (`shared:N`, `master:N`).
    private func mounts(of pid: Int32) -> [String: [String]] {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)) ?? ""
        var mounts: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count > 6, let separator = fields.firstIndex(of: "-") else { continue }
            mounts[fields[4]] = Array(fields[6..<separator])
        }
        return mounts
    }

    func testForcedNetworkRemovalDetachesEverything() throws {
        swnetOK("network", "create", "doomed", "--subnet", "10.94.0.0/24")
        swnetOK("sandbox", "create", "s1")
        swnetOK("sandbox", "create", "s2")
        swnetOK("connect", "doomed", "s1")
        swnetOK("endpoint", "create", "--network", "doomed", "spare")
        swnetOK("endpoint", "create", "--network", "doomed", "joined")
        swnetOK("join", "joined", "s2")
        XCTAssertEqual(swnet("network", "rm", "doomed").status, 2)
        swnetOK("network", "rm", "--force", "doomed")
        XCTAssertEqual(swnetOK("endpoint", "ls", "-q"), "")
        XCTAssertEqual(ipJSON("-n", "s2", "link", "show").count, 1)
        XCTAssertEqual(try inspect("sandbox", "s1")["endpoints"] as? [String], [])
        XCTAssertEqual(swnet("network", "rm", "--force", "doomed").status, 0, "--force ignores a missing network")
        swnetOK("sandbox", "rm", "s1", "s2")
    }

    func testAutomaticSubnetsAvoidHostRoutesAndEachOther() throws {
        host("ip", "link", "add", "hostbr", "type", "bridge")
        host("ip", "addr", "add", "172.20.0.1/24", "dev", "hostbr")
        host("ip", "link", "set", "hostbr", "up")
        defer { host("ip", "link", "del", "hostbr") }
        swnetOK("network", "create", "auto1")
        swnetOK("network", "create", "auto2")
        let first = try inspect("network", "auto1")
        let second = try inspect("network", "auto2")
        XCTAssertEqual((first["ipam"] as? [[String: Any]])?.first?["subnet"] as? String, "172.20.1.0/24")
        XCTAssertEqual((second["ipam"] as? [[String: Any]])?.first?["subnet"] as? String, "172.20.2.0/24")
        // An explicit subnet over a host route is allowed with a warning; over a network, refused.
        let warned = swnet("network", "create", "overlap", "--subnet", "172.20.0.0/16")
        XCTAssertEqual(warned.status, 2)
        XCTAssertEqual(warned.error, "swnet: error: subnet 172.20.0.0/16 overlaps network \"auto1\" (172.20.1.0/24); choose another --subnet\n")
        let allowed = swnet("network", "create", "hosty", "--subnet", "172.20.0.0/25")
        XCTAssertEqual(allowed.status, 0)
        XCTAssertTrue(allowed.error.hasPrefix("swnet: warning: subnet 172.20.0.0/25 overlaps 172.20.0.0/24"), allowed.error)
        swnetOK("network", "rm", "auto1", "auto2", "hosty")
    }

    func testParallelEndpointCreatesGetDistinctAddresses() throws {
        swnetOK("network", "create", "busy", "--subnet", "10.95.0.0/24")
        let processes = (0..<16).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["endpoint", "create", "--network", "busy", "ep\(index)"]
            process.environment = ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory]
            process.standardOutput = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let statuses = processes.map(\.terminationStatus)
        XCTAssertEqual(statuses, Array(repeating: 0, count: 16))
        let endpoints = try JSONSerialization.jsonObject(with: Data(swnetOK("endpoint", "ls", "--format", "json").utf8)) as? [[String: Any]] ?? []
        let addresses = Set(endpoints.compactMap { $0["ipv4Address"] as? String })
        XCTAssertEqual(addresses.count, 16)
        swnetOK("network", "rm", "--force", "busy")
    }

    func testKernelFailureMidJoinChangesNothing() throws {
        swnetOK("network", "create", "n", "--subnet", "10.96.0.0/24")
        swnetOK("sandbox", "create", "victim")
        swnetOK("endpoint", "create", "--network", "n", "e")
        let before = stateFiles()
        // Someone removes the namespace behind swnet's back: the join fails at the kernel, and
        // leaves neither a veth nor a changed record.
        host("umount", "/run/netns/victim")
        let failed = swnet("join", "e", "victim")
        XCTAssertEqual(failed.status, 3, failed.error)
        XCTAssertTrue(failed.error.hasPrefix("swnet: error: cannot attach endpoint \"e\" to sandbox \"victim\""), failed.error)
        XCTAssertEqual(failed.error.split(separator: "\n").count, 1)
        XCTAssertEqual(stateFiles(), before)
        XCTAssertFalse(ipJSON("link", "show").contains { ($0["ifname"] as? String)?.hasPrefix("swv") == true })
        swnetOK("sandbox", "rm", "victim")
        swnetOK("network", "rm", "--force", "n")
    }

    func testSandboxCreatedOnItsNetworksInOneCommand() throws {
        let removeOutside = makeOutsideHost()
        defer { removeOutside() }
        swnetOK("network", "create", "front", "--subnet", "10.93.0.0/24")
        swnetOK("network", "create", "back", "--subnet", "10.94.0.0/24")
        swnetOK("sandbox", "create", "web", "--hostname", "web", "--network", "front", "--network", "back",
                "-p", "8081:80", "--ip", "10.93.0.9", "--alias", "www")

        // As 'connect front' with those options, then 'connect back': the first network gives
        // the default route, the published port and the alias; the second an address of its own.
        let links = ipJSON("-n", "web", "addr", "show")
        XCTAssertEqual(links.compactMap { $0["ifname"] as? String }, ["lo", "eth0", "eth1"])
        XCTAssertEqual(links.dropFirst().map(addresses), [["10.93.0.9/24"], ["10.94.0.2/24"]])
        XCTAssertEqual(ipJSON("-n", "web", "route", "show", "default").first?["gateway"] as? String, "10.93.0.1")
        XCTAssertEqual(try inspect("endpoint", "web.front")["aliases"] as? [String], ["www"])
        XCTAssertEqual((try inspect("endpoint", "web.back")["ports"] as? [Any])?.count, 0)
        XCTAssertEqual((try inspect("sandbox", "web")["endpoints"] as? [Any])?.count, 2)
        let server = try startServer(in: "web", port: 80, token: "web")
        defer { server.terminate() }
        XCTAssertEqual(ask("192.0.2.1", 8081, from: "outside"), "web 192.0.2.2")

        // A part that fails undoes the whole: a taken port, a network that is not there.
        let before = stateFiles()
        let taken = swnet("sandbox", "create", "api", "--network", "back", "--network", "front", "-p", "8081:80")
        XCTAssertEqual(taken.status, 2, taken.error)
        XCTAssertTrue(taken.error.contains("port 8081/tcp is already published (by endpoint \"web.front\")"), taken.error)
        let missing = swnet("sandbox", "create", "api", "--network", "back", "--network", "nosuch")
        XCTAssertEqual(missing.status, 2, missing.error)
        XCTAssertEqual(stateFiles(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/run/netns/api"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/netns/api"))
        XCTAssertEqual(ipJSON("link", "show").filter { ($0["master"] as? String)?.hasPrefix("swbr-") == true }.count, 2,
                       "only web's two veths are on the bridges")

        // Endpoint settings belong to a network.
        let orphan = swnet("sandbox", "create", "api", "-p", "80")
        XCTAssertEqual(orphan.status, 1)
        XCTAssertTrue(orphan.error.contains("--publish sets the sandbox's endpoint on its first network: give --network too"), orphan.error)
        // --ignore: what is there as asked is fine; a network it is not on, or another port, is not.
        let again = swnetOK("sandbox", "create", "web", "--hostname", "web", "--network", "front", "--network", "back",
                            "-p", "8081:80", "--ip", "10.93.0.9", "--ignore")
        XCTAssertEqual(again, try XCTUnwrap(inspect("sandbox", "web")["id"] as? String))
        XCTAssertEqual(stateFiles(), before)
        swnetOK("disconnect", "back", "web")
        let off = swnet("sandbox", "create", "web", "--network", "front", "--network", "back", "--ignore")
        XCTAssertEqual(off.status, 2)
        XCTAssertTrue(off.error.contains("sandbox \"web\" exists with another configuration (not on network back)"), off.error)
        let port = swnet("sandbox", "create", "web", "--network", "front", "-p", "8082:80", "--ignore")
        XCTAssertEqual(port.status, 2)
        XCTAssertTrue(port.error.contains("(on network front: no published port matching 8082:80, also publishes 8081:80/tcp)"), port.error)

        swnetOK("sandbox", "rm", "web")
        XCTAssertEqual(swnetOK("endpoint", "ls", "-q"), "", "connections made by create go with the sandbox")
        XCTAssertNil(ask("192.0.2.1", 8081, from: "outside", timeout: 1))
        swnetOK("network", "rm", "front", "back")
    }

    /// A Linux bridge takes 1023 ports; the kernel's "exchange full" reaches libnl as an
    /// unspecific failure, which alone would tell a user nothing.
    func testAFullBridgeIsNamedAsTheReason() throws {
        let networkID = swnetOK("network", "create", "n", "--subnet", "10.97.0.0/16")
        let bridgeName = "swbr-" + networkID.prefix(10)
        // The bridge filled with plain veths, their peers in a namespace whose removal takes them.
        host("ip", "netns", "add", "filler")
        let fill = (1...1023).map { "link add fill\($0) type veth peer name p\($0) netns filler\nlink set fill\($0) master \(bridgeName)\n" }
        XCTAssertEqual(runProgram("/usr/bin/env", ["ip", "-batch", "-"], input: fill.joined()).status, 0)
        swnetOK("sandbox", "create", "late")
        let before = stateFiles()
        let failed = swnet("connect", "n", "late")
        XCTAssertEqual(failed.status, 3, failed.error)
        XCTAssertTrue(failed.error.contains("bridge \(bridgeName) has 1023 ports, the most the kernel lets a bridge have"), failed.error)
        XCTAssertTrue(failed.error.contains("connect further sandboxes to another network"), failed.error)
        XCTAssertEqual(stateFiles(), before)

        host("ip", "netns", "del", "filler")
        var ports = 1023
        for _ in 0..<100 where ports > 0 {
            usleep(20_000)
            ports = ipJSON("link", "show", "master", bridgeName).count
        }
        swnetOK("connect", "n", "late")
        swnetOK("sandbox", "rm", "late")
        swnetOK("network", "rm", "n")
    }

    // MARK: Helpers

    private func addresses(_ link: [String: Any]) -> [String] {
        ((link["addr_info"] as? [[String: Any]]) ?? []).compactMap { info in
            guard info["scope"] as? String != "link", let local = info["local"] as? String,
                  let prefix = info["prefixlen"] as? Int else { return nil }
            return "\(local)/\(prefix)"
        }
    }

    private func inspect(_ kind: String, _ name: String) throws -> [String: Any] {
        let output = swnetOK(kind, "inspect", name)
        let array = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]]
        return try XCTUnwrap(array?.first)
    }

    /// The bytes of every state file, to prove a failed command changed none.
    func stateFiles() -> [String: Data] {
        var files: [String: Data] = [:]
        for record in stateRecords() {
            files[record] = FileManager.default.contents(atPath: stateDirectory + "/" + record)
        }
        return files
    }
}
