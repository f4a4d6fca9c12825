/// The address family of a firewall table.
public enum IPFamily: Int32, Sendable, Codable, CaseIterable {
    case v4 = 4
    case v6 = 6
}

/// One packet-filter rule, in the vocabulary every backend understands.
public struct FirewallRule: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// Continue in a user chain.
        case jump(String)
        case accept
        case drop
        case `return`
        case masquerade
    }

    public enum TransportProtocol: String, Sendable, Codable, CaseIterable {
        case tcp
        case udp

        var number: Int32 { self == .tcp ? 6 : 17 }

        init?(number: Int32) {
            guard let match = Self.allCases.first(where: { $0.number == number }) else { return nil }
            self = match
        }
    }

    /// A value that may be negated (`! -o br0`).
    public struct Match: Sendable, Equatable {
        public var value: String
        public var inverted: Bool

        public static func `is`(_ value: String) -> Match { Match(value: value, inverted: false) }
        public static func not(_ value: String) -> Match { Match(value: value, inverted: true) }
    }

    public var source: Match?
    public var destination: Match?
    public var inInterface: Match?
    public var outInterface: Match?
    public var transport: TransportProtocol?
    public var destinationPort: UInt16?
    public var connectionStates: Set<ConnectionState> = []
    /// The ownership mark, `swnet:<object id>`, by which swnet finds the rule again.
    public var comment: String?
    public var verdict: Verdict

    public enum ConnectionState: Sendable, Hashable {
        case established
        case related
        /// The connection's destination was rewritten (hairpin traffic to a published port).
        case dnat
    }

    public init(comment: String?, verdict: Verdict) {
        self.comment = comment
        self.verdict = verdict
    }
}

/// Which of a chain's rules a change means: swnet finds its rules again by these, never by
/// position.
public enum RuleSelector: Sendable, Hashable, CustomStringConvertible {
    /// The rules carrying this comment (`swnet:<object id>`).
    case comment(String)
    /// The rules whose DNAT target rewrites destinations to this address: the published-port
    /// rules an older swnet wrote, without a comment, in its nat chain `SWNET`, which
    /// `swnet system gc` removes (published ports are `PortForward`s now).
    case dnatTarget(String)

    public var description: String {
        switch self {
        case .comment(let comment): comment
        case .dnatTarget(let address): "DNAT to \(address)"
        }
    }
}

/// One change to one chain of a table.
public enum FirewallChange: Sendable, Equatable {
    /// Creates the chain unless it exists.
    case ensureChain(String)
    /// Flushes and deletes the chain, if it exists.
    case deleteChain(String)
    /// Appends the rule, or inserts it at `position` (0 = first).
    case addRule(chain: String, rule: FirewallRule, position: Int?)
    /// Inserts the rule at `position` unless the chain already has a rule with its comment (which
    /// it must have).
    case ensureRule(chain: String, rule: FirewallRule, position: Int)
    /// Deletes every rule of the chain the selector means; a missing chain is fine.
    case deleteRules(chain: String, matching: RuleSelector)

    // Changes to swnet's own nftables table (`PortForward.table`), where published ports are.

    /// Creates the table with its maps, chains and rules, unless it exists.
    case ensurePortForwarding
    /// Deletes the table with every forward in it; a missing table is fine.
    case removePortForwarding
    /// Forwards a port, replacing any other forward of it.
    case forwardPort(PortForward)
    /// Stops forwarding a port, if it still goes where the forward says.
    case stopForwarding(PortForward)
}

/// A published port as the kernel forwards it: an element of a map in swnet's own nftables
/// table (`ip swnet` or `ip6 swnet`), which sends a local destination's port to an endpoint.
///
/// nftables rather than iptables for this one thing: adding or deleting a map element costs the
/// same however many ports are published, where a legacy iptables commit rewrites the whole nat
/// table (~6 ms of every `connect` and `rm` with a thousand published).
public struct PortForward: Sendable, Hashable, CustomStringConvertible {
    /// The nftables table of each family: a `FirewallBatch` naming it holds port forwards.
    public static let table = "swnet"

    /// The one local address the port is published on; nil for all of them.
    public var hostAddress: String?
    public var transport: FirewallRule.TransportProtocol
    public var hostPort: UInt16
    /// Where it goes.
    public var address: String
    public var port: UInt16

    public init(hostAddress: String?, transport: FirewallRule.TransportProtocol, hostPort: UInt16, address: String, port: UInt16) {
        self.hostAddress = hostAddress
        self.transport = transport
        self.hostPort = hostPort
        self.address = address
        self.port = port
    }

    public var description: String {
        let host = hostAddress.map { $0.contains(":") ? "[\($0)]:" : "\($0):" } ?? ""
        let target = address.contains(":") ? "[\(address)]" : address
        return "\(transport.rawValue) \(host)\(hostPort) to \(target):\(port)"
    }
}

/// The changes to one table of one family, committed atomically: an iptables table (`filter`,
/// `nat`, `raw`) replaced whole, or swnet's nftables table in one transaction.
public struct FirewallBatch: Sendable, Equatable {
    public var family: IPFamily
    public var table: String
    public var changes: [FirewallChange]

    public init(family: IPFamily, table: String, changes: [FirewallChange]) {
        self.family = family
        self.table = table
        self.changes = changes
    }
}
