#ifndef CIPTABLES_H
#define CIPTABLES_H

// <net/if.h> first: the importer sees conflicting net_device_flags otherwise.
#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

/// What a rule does with a matching packet.
enum swnet_fw_verdict {
    SWNET_FW_JUMP = 0,      // to `jump`, a user chain
    SWNET_FW_ACCEPT,
    SWNET_FW_DROP,
    SWNET_FW_RETURN,
    SWNET_FW_MASQUERADE,
};

/// Connection-tracking states for `ctstate` (the conntrack match, revision 3).
extern const unsigned int swnet_fw_CTSTATE_ESTABLISHED;
extern const unsigned int swnet_fw_CTSTATE_RELATED;
extern const unsigned int swnet_fw_CTSTATE_DNAT;

/// One rule, as flat data: the Swift side never touches ipt_entry layouts or XT_ALIGN.
/// Strings may be NULL for "any"; addresses are CIDR or plain address text of the table's family.
struct swnet_fw_rule {
    const char *source;
    int source_inverted;
    const char *destination;
    int destination_inverted;
    const char *in_interface;
    int in_inverted;
    const char *out_interface;
    int out_inverted;
    int protocol;                       // 0, IPPROTO_TCP or IPPROTO_UDP
    unsigned short dport_first;         // 0: any port
    unsigned short dport_last;
    unsigned int ctstate;               // 0: no conntrack match
    const char *comment;                // -m comment: swnet's ownership mark; NULL for none
    int verdict;                        // enum swnet_fw_verdict
    const char *jump;
};

/// One table of one family (4 or 6), loaded from the kernel and changed in memory until commit.
struct swnet_fw_table;

/// Loads a table; NULL with `*error` set (an errno) on failure.
struct swnet_fw_table *swnet_fw_open(int family, const char *table, int *error);
void swnet_fw_close(struct swnet_fw_table *table);
/// Replaces the kernel's table with the changed copy, atomically. 0 or an errno.
int swnet_fw_commit(struct swnet_fw_table *table);

int swnet_fw_chain_exists(struct swnet_fw_table *table, const char *chain);
/// 0 or an errno.
int swnet_fw_create_chain(struct swnet_fw_table *table, const char *chain);
/// Flushes and deletes a chain. 0 or an errno.
int swnet_fw_delete_chain(struct swnet_fw_table *table, const char *chain);
/// Inserts at `position` (0 = first) or appends when `position` < 0. 0, or an errno (EINVAL
/// for a rule that cannot be encoded).
int swnet_fw_add_rule(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_rule *rule, int position);
/// Which rules of a chain a deletion or a count means: those carrying the comment `comment`, or,
/// when `comment` is NULL, those whose DNAT target rewrites to `dnat_address` (an address of the
/// table's family, as text).
struct swnet_fw_selector {
    const char *comment;
    const char *dnat_address;
};

/// Deletes every rule of `chain` the selector means, adding the packets they had matched to
/// `*packets` (when not NULL). Returns how many, or a negative errno (-EINVAL for an address
/// that does not parse).
int swnet_fw_delete_rules(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_selector *selector,
                          uint64_t *packets);
/// Counts the rules of `chain` the selector means, or returns a negative errno.
int swnet_fw_count_rules(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_selector *selector);
/// Calls `visit` with the comment and the DNAT address (as text) of every rule of `chain` that
/// has either; the other is NULL. 0, or a negative errno (-ENOENT for a missing chain).
int swnet_fw_each_mark(struct swnet_fw_table *table, const char *chain,
                       void (*visit)(const char *comment, const char *dnat_address, void *context), void *context);
/// libiptc's text for an errno from the functions above; for ELIBACC from `swnet_fw_open`, why
/// the family's library could not be loaded.
const char *swnet_fw_strerror(int family, int error);

#endif
