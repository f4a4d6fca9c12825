import Foundation
import XCTest

/// Service discovery through each sandbox's hosts file, checked with `getent hosts` inside the
/// sandboxes, through `ip netns exec` and `swnet exec` alike.
final class NameResolutionTests: PrivateHostTestCase {
    /// The IPv4 address `name` resolves to inside `sandbox`, or nil; `viaSwnet` uses `swnet exec`.
    ///
    /// Sandboxes here are made with `--dns 127.0.0.1`: a name the hosts file lacks then fails at
    /// once through the whole resolver, instead of waiting for an unreachable nameserver.
    func resolve(_ name: String, in sandbox: String, viaSwnet: Bool = false) -> String? {
        let result = viaSwnet ? swnet("exec", sandbox, "--", "getent", "ahostsv4", name)
                              : inSandbox(sandbox, "getent", "ahostsv4", name)
        guard result.status == 0 else { return nil }
        return result.output.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init)
    }

    func testMembersResolveEachOtherOnEveryNetworkTheyShare() throws {
        swnetOK("network", "create", "front", "--subnet", "10.93.0.0/24")
        swnetOK("network", "create", "back", "--subnet", "10.94.0.0/24", "--ipv6", "--subnet", "fd00:94::/64")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "web", "--hostname", "www1")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "db")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "cache")
        swnetOK("connect", "front", "web")
        swnetOK("connect", "back", "web", "--alias", "api")
        swnetOK("connect", "back", "db", "--alias", "primary", "--alias", "pg")
        swnetOK("endpoint", "create", "--network", "front", "cache-ep", "--alias", "memo")
        swnetOK("join", "cache-ep", "cache")

        // Both tools see the same names: sandbox name, hostname, endpoint name, aliases.
        for viaSwnet in [false, true] {
            XCTAssertEqual(resolve("db", in: "web", viaSwnet: viaSwnet), "10.94.0.3")
            XCTAssertEqual(resolve("primary", in: "web", viaSwnet: viaSwnet), "10.94.0.3")
            XCTAssertEqual(resolve("pg", in: "web", viaSwnet: viaSwnet), "10.94.0.3")
            XCTAssertEqual(resolve("db.back", in: "web", viaSwnet: viaSwnet), "10.94.0.3")
            XCTAssertEqual(resolve("www1", in: "db", viaSwnet: viaSwnet), "10.94.0.2")
            XCTAssertEqual(resolve("api", in: "db", viaSwnet: viaSwnet), "10.94.0.2")
            XCTAssertEqual(resolve("memo", in: "web", viaSwnet: viaSwnet), "10.93.0.3")
        }
        // IPv6 members resolve to their IPv6 address too.
        let ahosts = inSandbox("web", "getent", "ahostsv6", "db").output
        XCTAssertTrue(ahosts.contains("fd00:94::"), ahosts)
        // A sandbox sees only the networks it is on: cache (front) cannot resolve db (back).
        XCTAssertNil(resolve("db", in: "cache"))
        XCTAssertNil(resolve("primary", in: "cache"))
        XCTAssertEqual(resolve("web", in: "cache"), "10.93.0.2")
        // Its own names resolve to its own addresses.
        XCTAssertEqual(resolve("www1", in: "web"), "10.93.0.2")
        // The names are real: a ping by name crosses the bridge.
        XCTAssertEqual(inSandbox("web", "ping", "-c1", "-W2", "primary").status, 0)
        // A sandbox on one network reads that network's table itself; one on two has its own file.
        let cacheHosts = try FileManager.default.destinationOfSymbolicLink(atPath: "/etc/netns/cache/hosts")
        XCTAssertTrue(cacheHosts.hasPrefix(stateDirectory + "/hosts/"), cacheHosts)
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/netns/web/hosts"))

        // After a reboot emptied /etc/netns, restore writes every file again.
        for sandbox in ["web", "db", "cache"] { try FileManager.default.removeItem(atPath: "/etc/netns/\(sandbox)/hosts") }
        try FileManager.default.removeItem(atPath: stateDirectory + "/hosts")
        swnetOK("system", "restore")
        XCTAssertEqual(resolve("primary", in: "web"), "10.94.0.3")
        XCTAssertEqual(resolve("memo", in: "web"), "10.93.0.3")
        XCTAssertEqual(resolve("web", in: "cache"), "10.93.0.2")

        // Leaving stops resolution at once, on both sides; joining again brings it back.
        swnetOK("leave", "cache-ep")
        XCTAssertNil(resolve("memo", in: "web"))
        XCTAssertNil(resolve("cache", in: "web"))
        XCTAssertNil(resolve("web", in: "cache"))
        swnetOK("join", "cache-ep", "cache")
        XCTAssertEqual(resolve("memo", in: "web"), "10.93.0.3")

        // disconnect, endpoint rm --force and sandbox rm each take the names away.
        swnetOK("disconnect", "back", "db")
        XCTAssertNil(resolve("primary", in: "web"))
        XCTAssertNil(resolve("db", in: "web"))
        swnetOK("connect", "back", "db", "--alias", "primary")
        XCTAssertNotNil(resolve("primary", in: "web"))
        swnetOK("sandbox", "rm", "db")
        XCTAssertNil(resolve("primary", in: "web"))
        swnetOK("endpoint", "rm", "--force", "cache-ep")
        XCTAssertNil(resolve("memo", in: "web"))
        // network rm --force takes away every name it made visible.
        swnetOK("connect", "front", "cache")
        XCTAssertNotNil(resolve("cache", in: "web"))
        swnetOK("network", "rm", "--force", "front")
        XCTAssertNil(resolve("cache", in: "web"))
        XCTAssertNil(resolve("web", in: "cache"))

        swnetOK("sandbox", "rm", "web", "cache")
        swnetOK("network", "rm", "back")
    }

    /// A process already running in a sandbox sees a member join, then leave: the network's
    /// table, which its bind mount of /etc/hosts holds, is edited in place, never replaced.
    func testAProcessAlreadyRunningSeesMembersComeAndGo() throws {
        swnetOK("network", "create", "n2", "--subnet", "10.96.0.0/24")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "watcher")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "late")
        swnetOK("connect", "n2", "watcher")
        // Says when it runs, when `late` resolves, and when it no longer does (10 s at most each).
        let script = """
            echo started
            i=0; until getent ahostsv4 late >/dev/null; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done
            echo joined
            i=0; while getent ahostsv4 late >/dev/null; do i=$((i+1)); [ $i -gt 200 ] && exit 2; sleep 0.05; done
            echo left
            """
        for viaSwnet in [true, false] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: viaSwnet ? Self.binary : "/usr/bin/env")
            process.arguments = (viaSwnet ? ["exec", "watcher", "--"] : ["ip", "netns", "exec", "watcher"]) + ["sh", "-c", script]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var said = ""
            func waitFor(_ line: String) {
                while !said.hasSuffix(line + "\n") {
                    let data = output.fileHandleForReading.availableData
                    if data.isEmpty { break }
                    said += String(decoding: data, as: UTF8.self)
                }
            }
            waitFor("started")
            swnetOK("connect", "n2", "late")
            waitFor("joined")
            swnetOK("disconnect", "n2", "late")
            waitFor("left")
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "via \(viaSwnet ? "swnet exec" : "ip netns exec")")
            XCTAssertEqual(said, "started\njoined\nleft\n")
        }
        swnetOK("sandbox", "rm", "watcher", "late")
        swnetOK("network", "rm", "n2")
    }

    func testHostsFileIsRewrittenWholeAndRolledBackWithAFailedJoin() throws {
        swnetOK("network", "create", "n1", "--subnet", "10.95.0.0/24")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "a", "--add-host", "gw.example:192.0.2.1")
        swnetOK("sandbox", "create", "--dns", "127.0.0.1", "b")
        swnetOK("connect", "n1", "a")
        let before = try String(contentsOfFile: "/etc/netns/a/hosts", encoding: .utf8)
        // A join that fails in the kernel leaves every hosts file as it was.
        let failed = swnet(["connect", "n1", "b"], environment: ["SWNET_FAILPOINT": "attach-veth"])
        XCTAssertNotEqual(failed.status, 0)
        XCTAssertEqual(try String(contentsOfFile: "/etc/netns/a/hosts", encoding: .utf8), before)
        XCTAssertNil(resolve("b", in: "a"))
        // The extra host survives every rewrite.
        swnetOK("connect", "n1", "b")
        XCTAssertEqual(resolve("b", in: "a"), "10.95.0.3")
        XCTAssertEqual(resolve("gw.example", in: "a"), "192.0.2.1")
        swnetOK("system", "check")
        swnetOK("sandbox", "rm", "a", "b")
        swnetOK("network", "rm", "n1")
    }
}
