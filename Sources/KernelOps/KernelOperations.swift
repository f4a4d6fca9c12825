import Glibc

/// A bridge as a network needs it: up, addressed with its gateways, marked as swnet's.
public struct BridgeSpec: Sendable, Equatable {
    public var name: String
    public var alias: String
    public var mtu: UInt32?
    public var mac: String?
    /// Gateway addresses in CIDR form ("10.1.0.1/24").
    public var addresses: [String]

    public init(name: String, alias: String, mtu: UInt32?, mac: String?, addresses: [String]) {
        self.name = name
        self.alias = alias
        self.mtu = mtu
        self.mac = mac
        self.addresses = addresses
    }
}

/// An endpoint's veth, fully configured inside its sandbox.
public struct VethAttachment: Sendable, Equatable {
    public var veth: VethSpec
    /// The sandbox end's addresses in CIDR form.
    public var addresses: [String]
    /// Gateways to install default routes through (at most one per address family).
    public var defaultGateways: [String]
    /// No IPv6 on the sandbox end: on an IPv4-only network its link-local address would only add
    /// neighbour-discovery and multicast-listener chatter, flooded to every port of the bridge.
    public var disableIPv6: Bool
    /// Whether the default routes replace any the sandbox has (when putting back a join the state
    /// says provides them) rather than fail on them (a new join must not take a route silently).
    public var replacesDefaultRoutes: Bool

    public init(veth: VethSpec, addresses: [String], defaultGateways: [String], disableIPv6: Bool = false,
                replacesDefaultRoutes: Bool = false) {
        self.veth = veth
        self.addresses = addresses
        self.defaultGateways = defaultGateways
        self.disableIPv6 = disableIPv6
        self.replacesDefaultRoutes = replacesDefaultRoutes
    }
}

/// Every change swnet makes to the kernel, as the model layer sees it.
///
/// Each mutating call is one undoable step (`createBridge` is undone by `deleteLink`,
/// `createNamespace` by `removeNamespace`), so a command can keep an undo stack of them. Removal
/// calls accept objects that are already gone. `LinuxKernel` is the real implementation; tests
/// of ordering and rollback use a recording double.
public protocol KernelOperations: AnyObject {
    func createNamespace(at path: String) throws
    func removeNamespace(at path: String) throws
    func namespaceExists(at path: String) -> Bool
    /// Readies a sandbox's namespace: `lo` up (a new namespace starts with it down). Its IPv6
    /// settings are left as they are: each interface swnet adds gets its own (`attachVeth`).
    func prepareSandbox(inNamespace path: String) throws

    func createBridge(_ spec: BridgeSpec) throws
    func deleteLink(named name: String) throws
    func linkExists(named name: String) throws -> Bool
    func attachVeth(_ attachment: VethAttachment) throws
    func addDefaultRoute(inNamespace path: String, via gateway: String, device: String) throws

    /// Every prefix the host already uses: its interface addresses and its main-table routes, in
    /// CIDR form; automatic subnets must avoid them.
    func hostPrefixes() throws -> [String]
    /// The host's own addresses, without prefix lengths.
    func hostAddresses() throws -> [String]
    func setSysctl(_ key: String, to value: String) throws

    /// Applies firewall changes, one atomic commit per table. Returns how many packets the
    /// deleted rules and port forwards had matched in their lifetime: 0 means no connection ever
    /// went through them.
    @discardableResult
    func applyFirewall(_ batches: [FirewallBatch]) throws -> UInt64
    /// False when a process on the host holds the port.
    func isPortFree(_ transport: FirewallRule.TransportProtocol, address: String?, port: UInt16) -> Bool
    func ephemeralPortRange() throws -> ClosedRange<UInt16>
    /// Forgets the tracked connections answered by `address` (see `Conntrack.flush`).
    func flushConnections(repliesFrom address: String) throws

    /// swnet's links: those carrying an alias that starts with `swnet:`, as (name, alias), and
    /// veths with no alias whose name starts with `unmarkedVethPrefix`, as (name, nil); not a veth
    /// whose other end's namespace is being destroyed, which the kernel removes with it.
    ///
    /// A veth is marked by a second request after the one that creates it (the kernel ignores
    /// an alias in a create request), so a command killed between the two leaves one unmarked,
    /// its other end in a sandbox under the name the sandbox's next interface would take.
    func swnetLinks(unmarkedVethPrefix: String) throws -> [(name: String, mark: String?)]
    /// Every rule of the iptables chains swnet writes to that is marked as swnet's: by a
    /// `swnet:` comment, or, in the nat chain older versions forwarded ports with, by a DNAT target.
    func firewallMarks() throws -> [FirewallMark]
    /// The families whose swnet nftables table exists.
    func portForwardingFamilies() throws -> Set<IPFamily>
    /// Every port forwarded in swnet's nftables tables.
    func portForwards() throws -> [(family: IPFamily, forward: PortForward)]
}

/// A rule marked as swnet's: where it sits and what selects it.
public struct FirewallMark: Sendable, Hashable {
    public var family: IPFamily
    public var table: String
    public var chain: String
    public var selector: RuleSelector

    public init(family: IPFamily, table: String, chain: String, selector: RuleSelector) {
        self.family = family
        self.table = table
        self.chain = chain
        self.selector = selector
    }
}

/// The real kernel, through netlink, mount and /proc/sys.
public final class LinuxKernel: KernelOperations {
    private var hostSession: NetlinkSession?
    /// Made on first use, for every sysctl of the process, the host's and the sandboxes', and
    /// made afresh after `namespacesPerProcfs` visits to sandboxes' namespaces.
    private lazy var sysctl = Sysctl()
    private var namespaceVisits = 0
    /// A procfs instance keeps a dentry per namespace whose settings it showed, in one hash chain
    /// that every lookup in a new namespace walks: `up` of 1000 sandboxes spent 16% of its time
    /// there (`proc_sys_compare`, `__d_lookup`). A new instance every 64 visits bounds the walk,
    /// for ~0.2 ms each.
    private static let namespacesPerProcfs = 64

    public init() {}

    /// The netlink session in swnet's own namespace, opened on first use.
    private func host() throws -> NetlinkSession {
        if let hostSession { return hostSession }
        let session = try NetlinkSession()
        hostSession = session
        return session
    }

    public func createNamespace(at path: String) throws {
        try NetworkNamespace.create(at: path)
    }

    public func removeNamespace(at path: String) throws {
        try NetworkNamespace.remove(at: path)
    }

    public func namespaceExists(at path: String) -> Bool {
        NetworkNamespace.exists(at: path)
    }

    public func prepareSandbox(inNamespace path: String) throws {
        try NetlinkSession.inNamespace(path: path).setLinkUp(named: "lo")
    }

    public func createBridge(_ spec: BridgeSpec) throws {
        let session = try host()
        try session.createBridge(name: spec.name, mtu: spec.mtu, mac: spec.mac, alias: spec.alias)
        do {
            // Before it comes up: duplicate address detection on the bridge's link-local address
            // would hold back, for a second, the first packet forwarded to every sandbox.
            try setIPv6("\(spec.name)/accept_dad", to: "0")
            let index = try session.index(ofLink: spec.name)
            for address in spec.addresses {
                try session.addAddress(address, toLinkIndex: index, linkName: spec.name)
            }
            try session.setLinkUp(named: spec.name)
        } catch {
            _ = try? session.deleteLink(named: spec.name)
            throw error
        }
    }

    public func deleteLink(named name: String) throws {
        try host().deleteLink(named: name)
    }

    public func linkExists(named name: String) throws -> Bool {
        try host().link(named: name) != nil
    }

    public func attachVeth(_ attachment: VethAttachment) throws {
        let session = try host()
        let veth = attachment.veth
        try session.createVeth(veth)
        do {
            // A bridge port needs no IPv6 of its own: see `setIPv6`.
            try setIPv6("\(veth.hostName)/disable_ipv6", to: "1")
            try session.setAlias(veth.hostAlias, onLink: veth.hostName)
            if veth.hairpin { try session.setHairpinMode(onBridgePort: veth.hostName) }
            let sandbox = try NetlinkSession.inNamespace(path: veth.peerNamespacePath) { () throws in
                // /proc/sys/net shows the namespace of the thread that opens it.
                visitingNamespace()
                if attachment.disableIPv6 {
                    try setIPv6("\(veth.peerName)/disable_ipv6", to: "1")
                } else {
                    // Before it comes up: duplicate address detection would leave it without a
                    // usable link-local address, so unable to resolve its gateway, for its first
                    // second or two. (The addresses swnet gives it skip detection themselves.)
                    try setIPv6("\(veth.peerName)/accept_dad", to: "0")
                }
            }
            let index = try sandbox.index(ofLink: veth.peerName)
            for address in attachment.addresses {
                try sandbox.addAddress(address, toLinkIndex: index, linkName: veth.peerName)
            }
            try sandbox.setLinkUp(named: veth.peerName)
            for gateway in attachment.defaultGateways {
                try sandbox.addDefaultRoute(via: gateway, onLinkIndex: index, linkName: veth.peerName,
                                            replacing: attachment.replacesDefaultRoutes)
            }
            // Last, with the peer already up: the port then comes up with its carrier on, and the
            // bridge recomputes its ports' states (a walk of every port, arming two multicast
            // query timers on each) once. Up before its peer, the port was enabled, disabled when
            // the kernel saw no carrier, and enabled again: three walks.
            try session.setLinkUp(named: veth.hostName)
        } catch {
            _ = try? session.deleteLink(named: veth.hostName)
            throw error
        }
    }

    /// Counts a visit to a sandbox's namespace, whose sysctls are about to be looked up.
    private func visitingNamespace() {
        namespaceVisits += 1
        if namespaceVisits > Self.namespacesPerProcfs {
            sysctl = Sysctl()
            namespaceVisits = 1
        }
    }

    /// Sets `net/ipv6/conf/<key>` in the calling thread's namespace; on a host whose kernel has
    /// IPv6 off altogether there is no such key, and nothing to set.
    ///
    /// Bridge ports get IPv6 turned off before they come up. A port needs no address of its own
    /// (the bridge holds the gateway's, and bridged IPv6 frames never reach the port's IPv6
    /// stack), while one with IPv6 gets a link-local address, a prefix route and a multicast
    /// route in the host's table, and every link event of a port whose carrier is down makes the
    /// kernel walk that whole table (`rt6_sync_down_dev`): with 1000 ports, those walks took
    /// ~2.5 ms of each attach, and `connect` went from 16.4 to 14.7 ms without them.
    private func setIPv6(_ key: String, to value: String) throws {
        do {
            try sysctl.set("net/ipv6/conf/" + key, to: value)
        } catch let error as KernelError where error.isNotFound {
            return
        }
    }

    public func addDefaultRoute(inNamespace path: String, via gateway: String, device: String) throws {
        try NetlinkSession.inNamespace(path: path).addDefaultRoute(via: gateway, onLink: device)
    }

    public func hostPrefixes() throws -> [String] {
        let session = try host()
        var prefixes = try session.addresses().map(\.cidr)
        prefixes += try session.routes(family: AF_INET).map(\.destination)
        prefixes += try session.routes(family: AF_INET6).map(\.destination)
        return prefixes
    }

    public func hostAddresses() throws -> [String] {
        try host().addresses().map { String($0.cidr.prefix { $0 != "/" }) }
    }

    public func setSysctl(_ key: String, to value: String) throws {
        try sysctl.set(key, to: value)
    }

    public func applyFirewall(_ batches: [FirewallBatch]) throws -> UInt64 {
        var packets = try IPTables().apply(batches.filter { $0.table != PortForward.table })
        for batch in batches where batch.table == PortForward.table {
            packets += try NFTables().apply(batch)
        }
        return packets
    }

    public func isPortFree(_ transport: FirewallRule.TransportProtocol, address: String?, port: UInt16) -> Bool {
        HostPorts.isFree(transport, address: address, port: port)
    }

    public func ephemeralPortRange() throws -> ClosedRange<UInt16> {
        try HostPorts.ephemeralRange(sysctl)
    }

    public func flushConnections(repliesFrom address: String) throws {
        try Conntrack.flush(repliesFrom: address, sysctl)
    }

    public func swnetLinks(unmarkedVethPrefix: String) throws -> [(name: String, mark: String?)] {
        let session = try host()
        // Removing a sandbox lets its namespace go without waiting for the kernel to destroy it
        // (~20 ms of RCU waits): for a moment after, the host end of each of its veths is still
        // here, marked, its record gone. It is no leftover, and deleting it would wait as long.
        return try session.links().compactMap { link -> (name: String, mark: String?)? in
            let mark = link.alias.flatMap { $0.hasPrefix("swnet:") ? $0 : nil }
            guard mark != nil || (link.alias == nil && link.type == "veth" && link.name.hasPrefix(unmarkedVethPrefix)) else {
                return nil
            }
            if let peer = link.peerNamespaceID, try !session.namespaceIsAlive(id: peer) { return nil }
            return (link.name, mark)
        }
    }

    public func portForwardingFamilies() throws -> Set<IPFamily> {
        Set(try IPFamily.allCases.filter { try NFTables().exists($0) })
    }

    public func portForwards() throws -> [(family: IPFamily, forward: PortForward)] {
        try IPFamily.allCases.flatMap { family in try NFTables().forwards(family).map { (family, $0) } }
    }

    public func firewallMarks() throws -> [FirewallMark] {
        // Where swnet forwarded published ports before its nftables table: read to clean it up.
        let legacyNATChain = "SWNET"
        let chains = [
            ("nat", ["PREROUTING", "OUTPUT", "POSTROUTING", legacyNATChain]),
            ("filter", ["FORWARD", "SWNET-FORWARD", "SWNET-ISOLATION-1", "SWNET-ISOLATION-2"]),
            ("raw", ["PREROUTING"]),
        ]
        var marks: [FirewallMark] = []
        for family in IPFamily.allCases {
            for (table, names) in chains {
                for chain in names {
                    for mark in try IPTables().marks(family: family, table: table, chain: chain) {
                        // Everything in the chain is swnet's; a DNAT rule there is the endpoint's
                        // it sends to (with or without the comment still older rules carry).
                        if chain == legacyNATChain, let address = mark.dnatTarget {
                            marks.append(FirewallMark(family: family, table: table, chain: chain, selector: .dnatTarget(address)))
                        } else if let comment = mark.comment, comment.hasPrefix("swnet:") {
                            marks.append(FirewallMark(family: family, table: table, chain: chain, selector: .comment(comment)))
                        }
                    }
                }
            }
        }
        return marks
    }
}
