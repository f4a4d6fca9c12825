import Glibc

/// Named points in a command where tests make it fail or crash (`SWNET_FAILPOINT`).
///
/// Every kernel step and the state commit is one; a test runs a command with each of its
/// failpoints in turn and checks that the host and the state end up exactly as before.
public enum Failpoint: String, Sendable, CaseIterable {
    case createBridge = "create-bridge"
    case setSysctl = "set-sysctl"
    case setUpFirewall = "set-up-firewall"
    case removeFirewall = "remove-firewall"
    case deleteBridge = "delete-bridge"
    case createNamespace = "create-namespace"
    case prepareNamespace = "prepare-namespace"
    case removeNamespace = "remove-namespace"
    case attachVeth = "attach-veth"
    case detachVeth = "detach-veth"
    case publishPorts = "publish-ports"
    case unpublishPorts = "unpublish-ports"
    case flushConnections = "flush-connections"
    case defaultRoute = "default-route"
    case restore = "restore"
    /// After every kernel step, before any state file is written.
    case beforeCommit = "before-commit"
    /// After the first state file of the commit is written.
    case duringCommit = "during-commit"

    /// What to do when the failpoint is reached.
    public enum Action: Sendable, Equatable {
        /// Fail with an error, as the kernel might: the command rolls back.
        case fail
        /// Exit at once without cleaning up, as `kill -9` would.
        case crash
        /// Wait half a second and go on: a window for tests to send signals into.
        case pause
    }

    /// Parses `NAME`, `NAME:crash` or `NAME:pause`.
    public static func parse(_ text: String) throws(SwnetError) -> (Failpoint, Action) {
        let parts = text.split(separator: ":", maxSplits: 1)
        let actions: [String: Action] = ["fail": .fail, "crash": .crash, "pause": .pause]
        guard let name = parts.first, let point = Failpoint(rawValue: String(name)),
              let action = parts.count == 1 ? .fail : actions[String(parts[1])] else {
            throw .invalid("invalid SWNET_FAILPOINT \"\(text)\"",
                           hint: "use NAME[:fail|:crash|:pause] with NAME one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return (point, action)
    }

    /// Acts when `armed` names this failpoint.
    func trigger(_ armed: (Failpoint, Action)?) throws(SwnetError) {
        guard let armed, armed.0 == self else { return }
        switch armed.1 {
        case .crash: _exit(70)
        case .pause: usleep(500_000)
        case .fail: throw SwnetError(.system, "failpoint \(rawValue) triggered", hint: "unset SWNET_FAILPOINT")
        }
    }
}
