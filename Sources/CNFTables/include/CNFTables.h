#ifndef SWNET_CNFTABLES_H
#define SWNET_CNFTABLES_H

#include <stddef.h>
#include <stdint.h>

/// A published port as swnet's nftables table forwards it: traffic to a local address (or to
/// `host_address` only) on `protocol`/`host_port` goes to `address`:`port`.
struct swnet_nft_forward {
    /// 4 or 6.
    int family;
    /// NULL for every local address.
    const char *host_address;
    /// IPPROTO_TCP or IPPROTO_UDP.
    int protocol;
    uint16_t host_port;
    const char *address;
    uint16_t port;
};

/// Creates swnet's table of the family (`ip swnet` or `ip6 swnet`) with its two maps, its two
/// nat chains and their rules, unless the table exists; one atomic transaction. Returns 0 or a
/// negative errno.
int swnet_nft_ensure(int family);

/// Deletes swnet's table of the family with every forward in it; a missing table is fine.
int swnet_nft_remove(int family);

/// 1 when swnet's table of the family exists, 0 when not, or a negative errno.
int swnet_nft_exists(int family);

/// Removes the forwards of `removing` that are there (and still go where they say), then adds
/// those of `adding`, replacing any forward of the same port; one atomic transaction. Adds to
/// `*packets` the packets the removed forwards had matched in their lifetime. Returns 0 or a
/// negative errno (-ENOENT when the family's table does not exist).
int swnet_nft_apply(int family, const struct swnet_nft_forward *adding, size_t adding_count,
                    const struct swnet_nft_forward *removing, size_t removing_count, uint64_t *packets);

/// Calls `each` for every forward of the family (none when its table does not exist); the
/// forward's strings live until `each` returns. Returns 0 or a negative errno.
int swnet_nft_list(int family, void (*each)(const struct swnet_nft_forward *forward, void *context), void *context);

/// Closes a netfilter netlink socket (nf_tables or ctnetlink) without waiting for nf_tables.
///
/// When nf_tables has objects to free after a transaction that deleted some (it frees them after
/// an RCU grace period), the last close of any netfilter socket on the host waits for that:
/// ~20-30 ms here, longer than a whole `swnet sandbox rm`. So the socket's last reference goes to
/// a child process that holds nothing else and exits once swnet has: the wait is the child's,
/// and nobody waits for the child. Returns 0, or a negative errno after closing `fd` the plain way.
int swnet_nf_close(int fd);

#endif
