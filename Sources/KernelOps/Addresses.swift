import CNetlink
import Glibc

/// An address assigned to an interface, as `addresses()` reports it.
public struct InterfaceAddress: Sendable, Equatable {
    public var interfaceIndex: Int32
    /// CIDR text, e.g. "10.1.0.2/24" or "fd00::2/64".
    public var cidr: String
}

extension NetlinkSession {
    /// Adds an address ("10.1.0.2/24", "fd12::2/64") to the link with `index`. IPv6 addresses skip duplicate
    /// address detection: IPAM already made them unique, and DAD would hold them unusable for
    /// about two seconds.
    public func addAddress(_ cidr: String, toLinkIndex index: Int32, linkName: String) throws {
        guard let entry = rtnl_addr_alloc() else { throw KernelError("allocate address", cidr, errno: ENOMEM) }
        defer { rtnl_addr_put(entry) }
        let local = try parseNetlinkAddress(cidr)
        defer { nl_addr_put(local) }
        rtnl_addr_set_ifindex(entry, index)
        try check(rtnl_addr_set_local(entry, local), "set address", cidr)
        if nl_addr_get_family(local) == AF_INET6 {
            rtnl_addr_set_flags(entry, UInt32(IFA_F_NODAD))
        }
        try check(rtnl_addr_add(socket, entry, 0), "add address \(cidr) to", linkName)
    }

    /// Every address in this session's namespace.
    public func addresses() throws -> [InterfaceAddress] {
        var cache: OpaquePointer?
        try check(rtnl_addr_alloc_cache(socket, &cache), "list addresses in", namespace)
        guard let cache else { return [] }
        defer { nl_cache_free(cache) }
        var result: [InterfaceAddress] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            let entry = current
            if let cidr = formatNetlinkAddress(rtnl_addr_get_local(entry)) {
                result.append(InterfaceAddress(interfaceIndex: rtnl_addr_get_ifindex(entry), cidr: cidr))
            }
            object = nl_cache_get_next(current)
        }
        return result
    }
}
