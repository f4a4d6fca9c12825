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

/// Creates swnet's table of the family (`ip swnet` or `ip6 swnet`), its two maps and its two
/// nat chains when missing, and writes the chains' rules afresh; one atomic transaction.
/// Returns 0 or a negative errno.
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

#endif
