import CNetlink
import Glibc

/// A route as `routes()` reports it.
public struct RouteInfo: Sendable, Equatable {
    /// CIDR text of the destination; "default" routes are reported as "0.0.0.0/0" or "::/0".
    public var destination: String
    public var gateway: String?
    public var interfaceIndex: Int32?
}

extension NetlinkSession {
    /// Adds the default route via `gateway` on link `name` (IPv4 or IPv6 by the gateway's family).
    public func addDefaultRoute(via gateway: String, onLink name: String) throws {
        try addDefaultRoute(via: gateway, onLinkIndex: try index(ofLink: name), linkName: name)
    }

    /// Adds the default route via `gateway`; with `replacing`, in place of one that exists.
    public func addDefaultRoute(via gateway: String, onLinkIndex index: Int32, linkName: String, replacing: Bool = false) throws {
        let gatewayAddress = try parseNetlinkAddress(gateway)
        defer { nl_addr_put(gatewayAddress) }
        let family = nl_addr_get_family(gatewayAddress)
        let destination = try parseNetlinkAddress("default", family: family)
        defer { nl_addr_put(destination) }

        guard let route = rtnl_route_alloc() else { throw KernelError("allocate route", gateway, errno: ENOMEM) }
        defer { rtnl_route_put(route) }
        guard let hop = rtnl_route_nh_alloc() else { throw KernelError("allocate next hop", gateway, errno: ENOMEM) }
        rtnl_route_set_family(route, UInt8(family))
        try check(rtnl_route_set_dst(route, destination), "set route destination", "default")
        rtnl_route_nh_set_gateway(hop, gatewayAddress)
        rtnl_route_nh_set_ifindex(hop, index)
        rtnl_route_add_nexthop(route, hop)  // the route owns the hop from here on
        try check(rtnl_route_add(socket, route, NLM_F_CREATE | (replacing ? NLM_F_REPLACE : NLM_F_EXCL)),
                  "add default route via \(gateway) on", linkName)
    }

    /// Every route of the main table in this session's namespace, of one family.
    public func routes(family: Int32 = AF_INET) throws -> [RouteInfo] {
        var cache: OpaquePointer?
        try check(rtnl_route_alloc_cache(socket, family, 0, &cache), "list routes in", namespace)
        guard let cache else { return [] }
        defer { nl_cache_free(cache) }
        var result: [RouteInfo] = []
        var object = nl_cache_get_first(cache)
        while let current = object {
            let route = current
            object = nl_cache_get_next(current)
            guard rtnl_route_get_table(route) == UInt32(RT_TABLE_MAIN.rawValue),
                  let destinationAddress = rtnl_route_get_dst(route) else { continue }
            var destination = formatNetlinkAddress(destinationAddress) ?? "none"
            if destination == "none" || destination == "default" {
                destination = family == AF_INET6 ? "::/0" : "0.0.0.0/0"
            } else if !destination.contains("/") {
                destination += family == AF_INET6 ? "/128" : "/32"
            }
            var gateway: String?
            var interfaceIndex: Int32?
            if rtnl_route_get_nnexthops(route) > 0, let hop = rtnl_route_nexthop_n(route, 0) {
                gateway = formatNetlinkAddress(rtnl_route_nh_get_gateway(hop))
                interfaceIndex = rtnl_route_nh_get_ifindex(hop)
            }
            result.append(RouteInfo(destination: destination, gateway: gateway, interfaceIndex: interfaceIndex))
        }
        return result
    }
}
