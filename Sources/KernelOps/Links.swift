import CNetlink
import Glibc

/// What `links()` reports about one interface.
public struct LinkInfo: Sendable, Equatable {
    public var index: Int32
    public var name: String
    /// The interface alias; swnet's links carry `swnet:<object id>`.
    public var alias: String?
    /// The index of the bridge this link is a port of, or nil.
    public var masterIndex: Int32?
    public var type: String?
    public var mtu: UInt32
    public var mac: String?
    public var isUp: Bool
    /// For a link whose other end (a veth's peer) is in another namespace: that namespace's id
    /// as this session's namespace numbers it, or -1 when the kernel no longer numbers it
    /// because it is being destroyed. Nil for a link with nothing in another namespace.
    public var peerNamespaceID: Int32?
}

/// The host end and the namespace end of a veth pair, created in one request.
public struct VethSpec: Sendable, Equatable {
    public var hostName: String
    public var hostAlias: String
    /// The bridge the host end becomes a port of.
    public var bridge: String?
    public var mtu: UInt32?
    /// The namespace the peer is created in, and its name there.
    public var peerNamespacePath: String
    public var peerName: String
    public var peerMAC: String?
    /// Put the host end in hairpin mode (see `setHairpinMode`).
    public var hairpin: Bool

    public init(hostName: String, hostAlias: String, bridge: String?, mtu: UInt32?,
                peerNamespacePath: String, peerName: String, peerMAC: String?, hairpin: Bool = false) {
        self.hairpin = hairpin
        self.hostName = hostName
        self.hostAlias = hostAlias
        self.bridge = bridge
        self.mtu = mtu
        self.peerNamespacePath = peerNamespacePath
        self.peerName = peerName
        self.peerMAC = peerMAC
    }
}

private let upFlag = UInt32(IFF_UP)

extension NetlinkSession {
    /// Creates a bridge, down, carrying `alias` as its ownership mark. A bridge without a MAC of its
    /// own takes its first port's, so its address would change under the feet of every
    /// neighbour that had resolved the gateway; `mac` pins it.
    public func createBridge(name: String, mtu: UInt32?, mac: String?, alias: String) throws {
        guard let link = rtnl_link_bridge_alloc() else {
            throw KernelError("allocate bridge", name, errno: ENOMEM)
        }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        if let mtu { rtnl_link_set_mtu(link, mtu) }
        if let mac {
            let address = try parseNetlinkAddress(mac, family: AF_LLC)
            defer { nl_addr_put(address) }
            rtnl_link_set_addr(link, address)
        }
        try check(rtnl_link_add(socket, link, NLM_F_CREATE | NLM_F_EXCL), "create bridge", name)
        try setAlias(alias, onLink: name)
    }

    /// Creates a veth pair whose peer is born inside the target namespace under its final
    /// name: moving an existing peer across namespaces costs ~30 times more. Both ends stay
    /// down, and the host end carries no alias yet: the caller tunes, marks and brings up each.
    public func createVeth(_ spec: VethSpec) throws {
        let nsfd = open(spec.peerNamespacePath, O_RDONLY | O_CLOEXEC)
        guard nsfd >= 0 else {
            throw KernelError("open network namespace", spec.peerNamespacePath, errno: errno)
        }
        defer { close(nsfd) }
        guard let link = rtnl_link_veth_alloc() else {
            throw KernelError("allocate veth", spec.hostName, errno: ENOMEM)
        }
        defer { rtnl_link_put(link) }
        guard let peer = rtnl_link_veth_get_peer(link) else {
            throw KernelError("allocate veth peer", spec.peerName, errno: ENOMEM)
        }
        defer { rtnl_link_put(peer) }

        rtnl_link_set_name(link, spec.hostName)
        // One queue each way, asked for: the kernel would give each end one per CPU and then
        // cut it to one, waiting out an RCU grace period for each end (two per pair).
        for end in [link, peer] {
            rtnl_link_set_num_tx_queues(end, 1)
            rtnl_link_set_num_rx_queues(end, 1)
        }
        if let mtu = spec.mtu {
            rtnl_link_set_mtu(link, mtu)
            rtnl_link_set_mtu(peer, mtu)
        }
        let bridgeIndex = try spec.bridge.map { try index(ofLink: $0) }
        if let bridgeIndex {
            rtnl_link_set_master(link, bridgeIndex)
        }
        // The peer stays down here: libnl's veth request carries no usable flag mask for the
        // peer, and the kernel refuses it. The caller brings it up from inside the namespace.
        rtnl_link_set_name(peer, spec.peerName)
        rtnl_link_set_ns_fd(peer, nsfd)
        if let mac = spec.peerMAC {
            let address = try parseNetlinkAddress(mac, family: AF_LLC)
            defer { nl_addr_put(address) }
            rtnl_link_set_addr(peer, address)
        }
        let rc = rtnl_link_add(socket, link, NLM_F_CREATE | NLM_F_EXCL)
        if rc == -NLE_FAILURE, let bridge = spec.bridge, let bridgeIndex,
           let ports = try? links().count(where: { $0.masterIndex == bridgeIndex }), ports >= Self.mostBridgePorts {
            throw KernelError("create veth", spec.hostName, .bridgeFull(bridge: bridge, ports: ports))
        }
        try check(rc, "create veth", spec.hostName)
    }

    /// The kernel numbers a bridge's ports 1 to 1023 (`BR_MAX_PORTS` is 1024; 0 is no port).
    static let mostBridgePorts = 1023

    /// Deletes a link. Returns false when there was no such link (already gone is not an error:
    /// teardown must be repeatable).
    @discardableResult
    public func deleteLink(named name: String) throws -> Bool {
        guard let link = rtnl_link_alloc() else { throw KernelError("allocate link", name, errno: ENOMEM) }
        defer { rtnl_link_put(link) }
        rtnl_link_set_name(link, name)
        let rc = rtnl_link_delete(socket, link)
        if rc == -NLE_NODEV || rc == -NLE_OBJ_NOTFOUND { return false }
        try check(rc, "delete link", name)
        return true
    }

    /// Lets a bridge port send frames back out the way they came in: a sandbox reaching its own
    /// published port through a host address is bridged straight back to its own port.
    public func setHairpinMode(onBridgePort name: String) throws {
        // Bridge-port settings travel as an AF_BRIDGE change, and libnl wants the link being
        // changed described in that family too.
        let index = try index(ofLink: name)
        try changeLink(name, "set hairpin mode of") { current, change in
            rtnl_link_set_ifindex(current, index)
            rtnl_link_set_family(current, AF_BRIDGE)
            rtnl_link_set_family(change, AF_BRIDGE)
            try check(rtnl_link_bridge_set_flags(change, UInt32(RTNL_BRIDGE_HAIRPIN_MODE.rawValue)), "set hairpin mode of", name)
        }
    }

    /// Brings a link up.
    public func setLinkUp(named name: String) throws {
        try changeLink(named: name, "bring up link") { rtnl_link_set_flags($0, upFlag) }
    }

    /// Sets the interface alias (IFLA_IFALIAS), swnet's ownership mark. The kernel ignores an
    /// alias in a create request, so this is always a second message.
    public func setAlias(_ alias: String, onLink name: String) throws {
        try changeLink(named: name, "set alias of link") { rtnl_link_set_ifalias($0, alias) }
    }

    /// Sends the changes `configure` makes to the link called `name`. The request names the link
    /// rather than giving its index, so the kernel finds it: no round trip to look it up first.
    private func changeLink(named name: String, _ what: String, _ configure: (OpaquePointer) -> Void) throws {
        try changeLink(name, what) { _, change in
            rtnl_link_set_name(change, name)
            configure(change)
        }
    }

    /// Sends one link change: `describe` says which link (`current`) and what changes (`change`).
    private func changeLink(_ name: String, _ what: String,
                            _ describe: (_ current: OpaquePointer, _ change: OpaquePointer) throws -> Void) throws {
        guard let current = rtnl_link_alloc(), let change = rtnl_link_alloc() else {
            throw KernelError("allocate link", name, errno: ENOMEM)
        }
        defer {
            rtnl_link_put(current)
            rtnl_link_put(change)
        }
        try describe(current, change)
        try check(rtnl_link_change(socket, current, change, 0), what, name)
    }

    /// The index of a link, throwing a not-found error when there is none.
    public func index(ofLink name: String) throws -> Int32 {
        let link = try fetchLink(named: name)
        defer { rtnl_link_put(link) }
        return rtnl_link_get_ifindex(link)
    }

    /// The link with this name, or nil.
    public func link(named name: String) throws -> LinkInfo? {
        let link: OpaquePointer
        do {
            link = try fetchLink(named: name)
        } catch let error as KernelError where error.isNotFound {
            return nil
        }
        defer { rtnl_link_put(link) }
        return LinkInfo(link)
    }

    /// Every link in this session's namespace.
    public func links() throws -> [LinkInfo] {
        var cache: OpaquePointer?
        try check(rtnl_link_alloc_cache(socket, AF_UNSPEC, &cache), "list links in", namespace)
        guard let cache else { return [] }
        defer { nl_cache_free(cache) }
        var result: [LinkInfo] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            result.append(LinkInfo(current))
            object = nl_cache_get_next(current)
        }
        return result
    }

    private func fetchLink(named name: String) throws -> OpaquePointer {
        var link: OpaquePointer?
        let rc = rtnl_link_get_kernel(socket, 0, name, &link)
        guard rc == 0, let link else { throw KernelError("find link", name, netlink: rc == 0 ? -NLE_OBJ_NOTFOUND : rc) }
        return link
    }
}

extension LinkInfo {
    init(_ link: OpaquePointer) {
        let master = rtnl_link_get_master(link)
        let flags = rtnl_link_get_flags(link)
        var peerNamespaceID: Int32 = 0
        let hasPeerNamespace = rtnl_link_get_link_netnsid(link, &peerNamespaceID) == 0
        self.init(
            index: rtnl_link_get_ifindex(link),
            name: rtnl_link_get_name(link).map { String(cString: $0) } ?? "",
            alias: rtnl_link_get_ifalias(link).map { String(cString: $0) },
            masterIndex: master > 0 ? master : nil,
            type: rtnl_link_get_type(link).map { String(cString: $0) },
            mtu: rtnl_link_get_mtu(link),
            mac: formatNetlinkAddress(rtnl_link_get_addr(link)),
            isUp: flags & upFlag != 0,
            peerNamespaceID: hasPeerNamespace ? peerNamespaceID : nil
        )
    }
}
