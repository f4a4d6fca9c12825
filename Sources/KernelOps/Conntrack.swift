import CNetfilter
import CNFTables
import Glibc

/// The connection-tracking table, through ctnetlink (libnl-nf).
public enum Conntrack {
    /// Deletes every tracked connection whose reply comes from `address`: the ones NATed to an
    /// endpoint through its published ports and the ones it opened itself. The dump costs a walk
    /// of the kernel's whole hash table, so callers use it only where stale entries matter. Without this, a port
    /// published again to another endpoint would keep being served, for as long as the entry
    /// lives (minutes for UDP), by the old endpoint's NAT mapping. Returns how many were deleted.
    ///
    /// The walk is skipped when this namespace tracks no connection at all (its
    /// `nf_conntrack_count` is 0): there is nothing to delete, and the walk costs ~6 ms however
    /// empty the table.
    @discardableResult
    public static func flush(repliesFrom address: String, _ sysctl: Sysctl) throws -> Int {
        if (try? sysctl.get("net/netfilter/nf_conntrack_count")) == "0" { return 0 }
        guard let socket = nl_socket_alloc() else { throw KernelError("allocate netfilter socket", address, errno: ENOMEM) }
        defer {
            // Closed right after a port's forward was deleted, the socket would wait for
            // nf_tables to free it (see swnet_nf_close): a child keeps a copy open instead.
            let copy = dup(nl_socket_get_fd(socket))
            if copy >= 0 { swnet_nf_close(copy) }
            nl_socket_free(socket)
        }
        var rc = nfnl_connect(socket)
        guard rc >= 0 else { throw KernelError("connect to conntrack", address, netlink: rc) }
        var cache: OpaquePointer?
        rc = nfnl_ct_alloc_cache(socket, &cache)
        guard rc >= 0, let cache else { throw KernelError("list tracked connections of", address, netlink: rc) }
        defer { nl_cache_free(cache) }
        var deleted = 0
        var object = nl_cache_get_first(cache)
        while let current = object {
            object = nl_cache_get_next(current)
            // Direction 1 is the reply tuple.
            guard formatNetlinkAddress(nfnl_ct_get_src(current, 1)) == address else { continue }
            rc = nfnl_ct_del(socket, current, 0)
            // Gone meanwhile (it timed out, or the other end closed it): fine.
            if rc < 0 && rc != -NLE_OBJ_NOTFOUND {
                throw KernelError("delete a tracked connection of", address, netlink: rc)
            }
            deleted += 1
        }
        return deleted
    }
}
