import Foundation
import XCTest

/// Every kernel step and the state commit of the mutating commands, made to fail in turn
/// (`SWNET_FAILPOINT`): the command exits 3 with one line, and the state files, links,
/// namespaces, sandbox files, the sandbox's interfaces and the firewall are exactly as before.
final class FailpointTests: PrivateHostTestCase {
    func testEveryStepRollsBackCompletely() throws {
        let commit = ["before-commit", "during-commit"]
        // The first network also creates swnet's chains: their removal is part of the rollback.
        try expectRollback(["network", "create", "n", "--subnet", "10.77.0.0/24"],
                           at: ["create-bridge", "set-sysctl", "set-up-firewall"] + commit)
        swnetOK("network", "create", "n", "--subnet", "10.77.0.0/24")
        try expectRollback(["sandbox", "create", "s"], at: ["create-namespace", "prepare-namespace"] + commit)
        swnetOK("sandbox", "create", "s")
        try expectRollback(["endpoint", "create", "--network", "n", "e", "--publish", "8077:80"], at: commit)
        swnetOK("endpoint", "create", "--network", "n", "e", "--publish", "8077:80")
        try expectRollback(["join", "e", "s"], at: ["attach-veth", "publish-ports"] + commit)
        swnetOK("join", "e", "s")
        try expectRollback(["leave", "e"], at: ["unpublish-ports", "detach-veth"] + commit)
        // Forgetting connections is a step only once some packet went through the port's rules
        // (and a rollback publishes them anew, with counters at 0).
        reachPublishedPort(8077)
        try expectRollback(["leave", "e"], at: ["flush-connections"])
        swnetOK("leave", "e")
        try expectRollback(["connect", "n", "s", "--publish", "8078:80"], at: ["attach-veth", "publish-ports"] + commit)
        swnetOK("connect", "n", "s", "--publish", "8078:80")
        try expectRollback(["disconnect", "n", "s"], at: ["unpublish-ports", "detach-veth"] + commit)
        reachPublishedPort(8078)
        try expectRollback(["disconnect", "n", "s"], at: ["flush-connections"])
        try expectRollback(["sandbox", "rm", "s"], at: ["unpublish-ports"] + commit)
        reachPublishedPort(8078)
        try expectRollback(["sandbox", "rm", "s"], at: ["flush-connections"])
        try expectRollback(["network", "rm", "--force", "n"], at: ["unpublish-ports", "detach-veth", "remove-firewall", "delete-bridge"] + commit)
        swnetOK("sandbox", "rm", "s")
        swnetOK("network", "rm", "--force", "n")
    }

    func testCrashBeforeCommitLeavesTheStateUntouched() throws {
        let before = snapshot()
        let crashed = swnet(["network", "create", "n", "--subnet", "10.76.0.0/24"], environment: ["SWNET_FAILPOINT": "before-commit:crash"])
        XCTAssertEqual(crashed.status, 70, crashed.error)
        XCTAssertEqual(snapshot().state, before.state, "a crash never leaves a half-written state")
        // The kernel objects it made are marked as swnet's; gc will remove them. Until then the
        // state and the next command are unaffected.
        let bridges = ipJSON("link", "show").filter { ($0["ifalias"] as? String)?.hasPrefix("swnet:") == true }
        XCTAssertEqual(bridges.count, 1)
        swnetOK("network", "create", "other", "--subnet", "10.75.0.0/24")
        swnetOK("network", "rm", "other")
        for bridge in bridges { host("ip", "link", "del", (bridge["ifname"] as? String) ?? "") }
        flushSwnetFirewall()
    }

    /// Opens a connection from the host to a port published on network n (nothing listens: the
    /// sandbox answers with a reset), so the port's rules count a packet.
    private func reachPublishedPort(_ port: Int) {
        host("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/10.77.0.1/\(port)")
    }

    private struct Snapshot: Equatable {
        var state: [String: Data]
        var host: [String]
        var firewall: [String]
        var sandbox: [String]
    }

    private func snapshot() -> Snapshot {
        var state: [String: Data] = [:]
        for record in stateRecords() {
            state[record] = FileManager.default.contents(atPath: stateDirectory + "/" + record)
        }
        let sandboxLinks = FileManager.default.fileExists(atPath: netnsDirectory + "/s")
            ? ipJSON("-n", "s", "addr", "show").flatMap { link in
                ((link["addr_info"] as? [[String: Any]]) ?? []).map { "\(link["ifname"] ?? "") \($0["local"] ?? "")" }
            }.sorted()
            : []
        return Snapshot(state: state, host: hostSnapshot(), firewall: swnetFirewallLines(), sandbox: sandboxLinks)
    }

    private func expectRollback(_ arguments: [String], at failpoints: [String],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let before = snapshot()
        for failpoint in failpoints {
            let label = "\(arguments.joined(separator: " ")) at \(failpoint)"
            let result = swnet(arguments, environment: ["SWNET_FAILPOINT": failpoint])
            XCTAssertEqual(result.status, 3, "\(label): \(result.error)", file: file, line: line)
            XCTAssertTrue(result.error.contains("failpoint \(failpoint) triggered"), "\(label) was not reached: \(result.error)",
                          file: file, line: line)
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, "\(label): \(result.error)", file: file, line: line)
            var after = snapshot()
            // The kernel frees the interfaces of a deleted veth pair in the background.
            for _ in 0..<50 where after != before {
                usleep(20_000)
                after = snapshot()
            }
            XCTAssertEqual(after, before, "\(label) left the host or the state changed", file: file, line: line)
        }
    }
}
