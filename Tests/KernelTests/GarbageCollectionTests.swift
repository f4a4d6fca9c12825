import Foundation
import XCTest

/// `kill -9` at a kernel step (`SWNET_FAILPOINT=…:crash`), then `system check` sees the drift
/// and `system gc` removes exactly swnet's leftovers.
final class GarbageCollectionTests: PrivateHostTestCase {
    func testCrashesLeaveOnlyWhatGCRemoves() throws {
        let foreign = host("ip", "link", "add", "notswnet", "type", "bridge")
        XCTAssertEqual(foreign.status, 0)
        defer { host("ip", "link", "del", "notswnet") }
        XCTAssertEqual(swnetOK("system", "check"), "", "a fresh host has no drift")

        crash(["network", "create", "n", "--subnet", "10.71.0.0/24"], at: "set-up-firewall")
        crash(["sandbox", "create", "s"], at: "create-namespace")
        swnetOK("network", "create", "kept", "--subnet", "10.70.0.0/24")
        swnetOK("sandbox", "create", "k")
        crash(["connect", "kept", "k", "--publish", "8070:80"], at: "publish-ports")
        swnetOK("sandbox", "create", "gone")
        crash(["sandbox", "rm", "gone"], at: "remove-namespace")
        XCTAssertEqual(swnet("sandbox", "inspect", "gone").status, 2, "committed before the crash")

        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        let lines = check.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("leftover: link swbr-") }, check.output)
        XCTAssertTrue(lines.contains { $0.hasPrefix("leftover: link swv") }, check.output)
        XCTAssertTrue(lines.contains { $0 == "leftover: namespace \(netnsDirectory)/s of an interrupted command" }, check.output)
        XCTAssertTrue(lines.contains { $0 == "leftover: namespace \(netnsDirectory)/gone of an interrupted command" }, check.output)
        XCTAssertTrue(lines.contains("leftover: port forward tcp 8070 to 10.70.0.2:80"), check.output)
        XCTAssertFalse(check.output.contains("notswnet"))
        XCTAssertTrue(check.error.hasPrefix("swnet: error: \(lines.count) difference(s) between the state and the kernel"), check.error)

        let removed = swnetOK("system", "gc")
        XCTAssertFalse(removed.isEmpty)
        XCTAssertEqual(swnetOK("system", "check"), "", "gc converges")
        XCTAssertEqual(swnetOK("system", "gc"), "", "and has nothing left to do")
        XCTAssertNotNil(ipJSON("link", "show", "dev", "notswnet").first, "nothing without swnet's mark is touched")
        XCTAssertFalse(FileManager.default.fileExists(atPath: netnsDirectory + "/s"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: netnsDirectory + "/gone"))
        // The survivors still work, and the crashed names are free again.
        swnetOK("connect", "kept", "k", "--publish", "8070:80")
        swnetOK("sandbox", "create", "s")
        swnetOK("sandbox", "rm", "s", "k")
        swnetOK("network", "rm", "kept")
        XCTAssertEqual(swnetOK("system", "check"), "")
    }

    /// A removed sandbox's namespace is destroyed by the kernel after swnet has exited, its
    /// veths with it: until then they are no drift. One whose namespace a process still holds
    /// stays, and is a leftover for gc.
    func testVethsOfRemovedSandboxesAreNoDriftUnlessTheirNamespaceStays() throws {
        swnetOK("network", "create", "n", "--subnet", "10.72.0.0/24")
        let names = (0..<5).map { "r\($0)" }
        for name in names {
            swnetOK("sandbox", "create", name, "--network", "n")
        }
        // The kernel destroys namespaces one after another; one holding bridges takes long
        // (an RCU barrier each), so the sandboxes' come after it, their veths still there.
        XCTAssertEqual(host("ip", "netns", "add", "slow").status, 0)
        for index in 0..<10 {
            XCTAssertEqual(host("ip", "-n", "slow", "link", "add", "b\(index)", "type", "bridge").status, 0)
        }
        XCTAssertEqual(host("ip", "netns", "del", "slow").status, 0)
        swnetOK(["sandbox", "rm"] + names)
        let soon = swnet("system", "check")
        XCTAssertEqual(soon.status, 0, soon.output + soon.error)
        XCTAssertEqual(swnetOK("system", "gc"), "", "nothing to remove either")

        swnetOK("sandbox", "create", "held", "--network", "n")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["nsenter", "--net=\(netnsDirectory)/held", "sh", "-c", "echo in; exec sleep 30"]
        let inside = Pipe()
        holder.standardOutput = inside
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        XCTAssertEqual(String(decoding: inside.fileHandleForReading.readData(ofLength: 3), as: UTF8.self), "in\n")
        swnetOK("sandbox", "rm", "held")
        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.output.hasPrefix("leftover: link swv"), check.output)
        XCTAssertTrue(swnetOK("system", "gc").hasPrefix("removed link swv"))
        XCTAssertEqual(swnetOK("system", "check"), "")
        swnetOK("network", "rm", "n")
    }

    func testANoteAnEarlierVersionKeptAsAFileIsFinished() throws {
        // What a swnet that kept a file per note left when it died making a namespace.
        XCTAssertEqual(host("ip", "netns", "add", "old").status, 0)
        let notes = stateDirectory + "/intents"
        try FileManager.default.createDirectory(atPath: notes, withIntermediateDirectories: true)
        try "\(netnsDirectory)/old".write(toFile: notes + "/netns-old", atomically: false, encoding: .utf8)
        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        XCTAssertEqual(check.output, "leftover: namespace \(netnsDirectory)/old of an interrupted command\n")
        XCTAssertEqual(swnetOK("system", "gc"), "removed namespace \(netnsDirectory)/old")
        XCTAssertFalse(FileManager.default.fileExists(atPath: netnsDirectory + "/old"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: notes + "/netns-old"))
        XCTAssertEqual(swnetOK("system", "check"), "")
    }

    /// A join killed between the request that creates its veth and the one that marks it leaves
    /// the pair unmarked, its other end in the sandbox under the name the sandbox's next
    /// interface takes: every later join of that sandbox failed ("Object exists") until gc
    /// removed it, which it now does by the host end's name.
    func testAVethKilledBeforeItsMarkIsALeftover() throws {
        swnetOK("network", "create", "n", "--subnet", "10.62.0.0/24")
        swnetOK("sandbox", "create", "s")
        // What such a kill leaves, made by hand: the window is two netlink requests wide.
        XCTAssertEqual(host("ip", "link", "add", "swv0123456789ab", "type", "veth", "peer", "name", "eth0", "netns", "s").status, 0)
        XCTAssertEqual(host("ip", "link", "add", "notswnet0", "type", "veth", "peer", "name", "notswnet1").status, 0)
        defer { host("ip", "link", "del", "notswnet0") }
        let refused = swnet("connect", "n", "s")
        XCTAssertEqual(refused.status, 3, refused.error)
        XCTAssertTrue(refused.error.contains("Object exists"), refused.error)

        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        XCTAssertEqual(check.output.split(separator: "\n"), ["leftover: link swv0123456789ab (unmarked: its command was interrupted)"])
        XCTAssertEqual(swnetOK("system", "gc"), "removed link swv0123456789ab")
        XCTAssertEqual(swnetOK("system", "check"), "")
        XCTAssertNotNil(ipJSON("link", "show", "dev", "notswnet0").first, "a veth not named as swnet names them is not swnet's")
        swnetOK("connect", "n", "s")
        XCTAssertTrue(inSandbox("s", "ip", "-o", "link", "show", "eth0").output.contains("eth0@"), "the name is free again")
        swnetOK("disconnect", "n", "s")

        // Killed after marking it, joining an endpoint made before: the mark names a known
        // endpoint, but one that never joined with this veth.
        swnetOK("endpoint", "create", "--network", "n", "e", "--publish", "8062:80")
        crash(["join", "e", "s"], at: "publish-ports")
        let marked = swnet("system", "check").output.split(separator: "\n")
        XCTAssertTrue(marked.contains { $0.hasPrefix("leftover: link swv") && $0.hasSuffix("(swnet:\(swnetOK("endpoint", "inspect", "e", "--format", "{{.ID}}")))") },
                      "\(marked)")
        swnetOK("system", "gc")
        XCTAssertEqual(swnetOK("system", "check"), "")
        swnetOK("join", "e", "s")
        XCTAssertTrue(inSandbox("s", "ip", "-o", "link", "show", "eth0").output.contains("eth0@"))
        swnetOK("sandbox", "rm", "s")
        swnetOK("endpoint", "rm", "e")
        swnetOK("network", "rm", "n")
    }

    func testGCPutsBackAJoinWhoseRemovalWasKilled() throws {
        swnetOK("network", "create", "n", "--subnet", "10.64.0.0/24")
        swnetOK("sandbox", "create", "s")
        swnetOK("connect", "n", "s", "--publish", "8064:80")
        // Killed after its kernel steps, before its commit: the state still has the join.
        crash(["disconnect", "n", "s"], at: "detach-veth")
        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.output.contains("missing: published ports of endpoint \"s.n\""), check.output)
        XCTAssertTrue(check.output.contains("missing: interface swv"), check.output)
        let repaired = swnetOK("system", "gc")
        XCTAssertTrue(repaired.contains("put back the interface and ports of endpoint \"s.n\" in sandbox \"s\""), repaired)
        XCTAssertEqual(swnetOK("system", "check"), "")
        XCTAssertEqual(inSandbox("s", "ping", "-c", "1", "-W", "2", "10.64.0.1").status, 0, "the join works again")
        XCTAssertTrue(inSandbox("s", "ip", "route").output.contains("default via 10.64.0.1"))

        // The default route had already moved to the sandbox's other network: the join that
        // stands provides it again.
        swnetOK("network", "create", "m", "--subnet", "10.63.0.0/24")
        swnetOK("connect", "m", "s")
        crash(["disconnect", "n", "s"], at: "default-route")
        XCTAssertTrue(inSandbox("s", "ip", "route").output.contains("default via 10.63.0.1"))
        XCTAssertTrue(swnetOK("system", "gc").contains("put back the interface and ports of endpoint \"s.n\""))
        XCTAssertEqual(swnetOK("system", "check"), "")
        XCTAssertTrue(inSandbox("s", "ip", "route").output.contains("default via 10.64.0.1"))
        swnetOK("disconnect", "m", "s")
        swnetOK("network", "rm", "m")

        // With its namespace gone as well (a reboot), the sandbox is restore's, not gc's.
        crash(["disconnect", "n", "s"], at: "detach-veth")
        host("ip", "netns", "del", "s")
        XCTAssertFalse(swnetOK("system", "gc").contains("put back"))
        XCTAssertTrue(swnet("system", "check").output.contains("missing: namespace"))
        swnetOK("system", "restore")
        XCTAssertEqual(swnetOK("system", "check"), "")
        swnetOK("sandbox", "rm", "s")
        swnetOK("network", "rm", "n")
    }

    func testACrashMidCommitIsCompletedByTheNextCommand() throws {
        swnetOK("network", "create", "n", "--subnet", "10.65.0.0/24")
        // Its removed files are spares: the killed command makes its new records of them.
        swnetOK("sandbox", "create", "old", "--hostname", "a-longer-name-than-the-next", "--network", "n", "--publish", "8066:80")
        swnetOK("sandbox", "rm", "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/spare").count, 6)
        swnetOK("sandbox", "create", "s")
        // Killed after the first of its files is written: the journal holds the rest.
        let crashed = swnet(["connect", "n", "s", "--publish", "8065:80"], environment: ["SWNET_FAILPOINT": "during-commit:crash"])
        XCTAssertEqual(crashed.status, 70)
        let sandbox = try JSONSerialization.jsonObject(with: Data(swnetOK("sandbox", "inspect", "s").utf8)) as? [[String: Any]]
        XCTAssertEqual((sandbox?.first?["endpoints"] as? [String])?.count, 1, "the reader finished the commit")
        XCTAssertEqual(swnetOK("endpoint", "ls", "-q"), "s.n")
        XCTAssertTrue(inSandbox("s", "cat", "/etc/hosts").output.contains("10.65.0.3\ts"))
        XCTAssertEqual(swnetOK("system", "check"), "", "state and kernel agree")
        // A removal killed the same way: the next command removes the sandbox's files and their
        // directory too, and gc the namespace the final step did not get to.
        let removal = swnet(["sandbox", "rm", "s"], environment: ["SWNET_FAILPOINT": "during-commit:crash"])
        XCTAssertEqual(removal.status, 70)
        XCTAssertEqual(swnet("sandbox", "inspect", "s").status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/etc/netns/s"), "no files left for a sandbox that is gone")
        swnetOK("system", "gc")
        XCTAssertEqual(swnetOK("system", "check"), "")
        swnetOK("network", "rm", "n")
    }

    func testCheckReportsMissingObjectsAndDamagedFiles() throws {
        swnetOK("network", "create", "n", "--subnet", "10.69.0.0/24")
        swnetOK("sandbox", "create", "s")
        swnetOK("connect", "n", "s")
        host("ip", "netns", "del", "s")
        let check = swnet("system", "check")
        XCTAssertEqual(check.status, 2)
        XCTAssertTrue(check.output.contains("missing: namespace \(netnsDirectory)/s of sandbox \"s\""), check.output)
        swnetOK("system", "restore")
        XCTAssertEqual(swnetOK("system", "check"), "")

        let path = stateDirectory + "/networks/n.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try Data(original.prefix(40)).write(to: URL(fileURLWithPath: path))
        let damaged = swnet("system", "check")
        XCTAssertEqual(damaged.status, 2)
        XCTAssertTrue(damaged.output.contains("damaged: \(path)"), damaged.output)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(original.prefix(40)), "never overwritten")
        try original.write(to: URL(fileURLWithPath: path))
        swnetOK("sandbox", "rm", "s")
        swnetOK("network", "rm", "n")
    }

    private func crash(_ arguments: [String], at failpoint: String, file: StaticString = #filePath, line: UInt = #line) {
        let result = swnet(arguments, environment: ["SWNET_FAILPOINT": failpoint + ":crash"])
        XCTAssertEqual(result.status, 70, "\(arguments.joined(separator: " ")) did not reach \(failpoint)", file: file, line: line)
    }
}
