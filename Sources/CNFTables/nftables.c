// swnet's nftables table, spoken to over nfnetlink directly: the table, maps, chains and rules are
// built once per family, and every published port after that is one map element added or
// deleted in one transaction, whatever the number of ports already published. (A legacy
// iptables commit rewrites and re-checks its whole table instead: ~6 ms of every `connect` and
// `rm` with a thousand ports published.) The messages are few and fixed, so they are written
// here with <linux/netlink.h> rather than through libnftnl, whose libmnl has no static archive
// to link.
//
//   table ip swnet {
//       map addressed { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; counter }
//       map ports { type inet_proto . inet_service : ipv4_addr . inet_service; counter }
//       chain prerouting { type nat hook prerouting priority dstnat; policy accept;
//           fib daddr type local dnat ip to ip daddr . meta l4proto . th dport map @addressed
//           fib daddr type local dnat ip to meta l4proto . th dport map @ports }
//       chain output { type nat hook output priority dstnat; ... the same two rules }
//   }
//
// and `ip6 swnet` alike. A map lookup that finds nothing ends its rule, so the second rule sees
// what the first did not forward.
#include "CNFTables.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define TABLE "swnet"
#define ANY_ADDRESS_MAP "ports"
#define ONE_ADDRESS_MAP "addressed"

// nftables' own type numbers (its datatype.h), so that `nft list` prints the maps' keys and
// values by name; a concatenation packs its parts' numbers 6 bits each.
enum { TYPE_IPADDR = 7, TYPE_IP6ADDR = 8, TYPE_INET_PROTOCOL = 12, TYPE_INET_SERVICE = 13, TYPE_BITS = 6 };

static uint32_t concat(uint32_t first, uint32_t second) { return first << TYPE_BITS | second; }

static size_t address_length(int family) { return family == 6 ? 16 : 4; }
static int nfproto(int family) { return family == 6 ? NFPROTO_IPV6 : NFPROTO_IPV4; }

// MARK: Message buffer

struct buffer {
    unsigned char *bytes;
    size_t size, capacity;
    int failed;
    uint32_t sequence;
};

static void *reserve(struct buffer *b, size_t size) {
    size_t aligned = NLMSG_ALIGN(size);
    if (b->size + aligned > b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 4096;
        while (capacity < b->size + aligned) capacity *= 2;
        unsigned char *grown = realloc(b->bytes, capacity);
        if (!grown) {
            b->failed = 1;
            return NULL;
        }
        b->bytes = grown;
        b->capacity = capacity;
    }
    void *start = b->bytes + b->size;
    memset(start, 0, aligned);
    b->size += aligned;
    return start;
}

/// Starts a message; returns its offset for `end_message`, or -1.
static long begin_message(struct buffer *b, uint16_t type, uint16_t flags, int family, uint16_t resource) {
    long offset = (long)b->size;
    struct nlmsghdr *header = reserve(b, sizeof(struct nlmsghdr));
    struct nfgenmsg *generic = reserve(b, sizeof(struct nfgenmsg));
    if (!header || !generic) return -1;
    header = (struct nlmsghdr *)(b->bytes + offset);
    header->nlmsg_type = type;
    header->nlmsg_flags = NLM_F_REQUEST | flags;
    header->nlmsg_seq = ++b->sequence;
    generic = (struct nfgenmsg *)(b->bytes + offset + NLMSG_ALIGN(sizeof(struct nlmsghdr)));
    generic->nfgen_family = (uint8_t)family;
    generic->version = NFNETLINK_V0;
    generic->res_id = htons(resource);
    return offset;
}

static void end_message(struct buffer *b, long offset) {
    if (offset >= 0 && !b->failed) ((struct nlmsghdr *)(b->bytes + offset))->nlmsg_len = (uint32_t)(b->size - (size_t)offset);
}

static void put(struct buffer *b, uint16_t type, const void *data, size_t length) {
    size_t offset = b->size;
    if (!reserve(b, NLA_HDRLEN + length)) return;
    struct nlattr *attribute = (struct nlattr *)(b->bytes + offset);
    attribute->nla_type = type;
    attribute->nla_len = (uint16_t)(NLA_HDRLEN + length);
    if (length) memcpy(b->bytes + offset + NLA_HDRLEN, data, length);
}

static void put_string(struct buffer *b, uint16_t type, const char *text) { put(b, type, text, strlen(text) + 1); }

static void put_u32(struct buffer *b, uint16_t type, uint32_t value) {
    uint32_t network = htonl(value);
    put(b, type, &network, sizeof(network));
}

static size_t begin_nest(struct buffer *b, uint16_t type) {
    size_t offset = b->size;
    put(b, type | NLA_F_NESTED, NULL, 0);
    return offset;
}

static void end_nest(struct buffer *b, size_t offset) {
    if (!b->failed) ((struct nlattr *)(b->bytes + offset))->nla_len = (uint16_t)(b->size - offset);
}

static uint16_t nft_type(int message) { return (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | message); }

// MARK: Transactions

static int open_socket(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    return fd < 0 ? -errno : fd;
}

static int send_all(int fd, const struct buffer *b) {
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    ssize_t sent = sendto(fd, b->bytes, b->size, 0, (struct sockaddr *)&kernel, sizeof(kernel));
    if (sent < 0) return -errno;
    return sent == (ssize_t)b->size ? 0 : -EMSGSIZE;
}

/// The kernel sends no datagram larger than 32 KiB; this holds any of them.
enum { RECEIVE_SIZE = 64 * 1024 };

/// Reads replies to requests `first` to `last` until the one that ends `last` (its ack, its error
/// or a dump's DONE, or the one reply to a plain request), or an error about `first` (a batch the
/// kernel refused whole), handing every data message to `each`, if any. Returns 0 or the first
/// error the kernel reported.
static int receive(int fd, uint32_t first, uint32_t last, int (*each)(const struct nlmsghdr *, void *), void *context) {
    unsigned char *space = malloc(RECEIVE_SIZE);
    if (!space) return -ENOMEM;
    int result = 0, done = 0;
    while (!done) {
        ssize_t length = recv(fd, space, RECEIVE_SIZE, 0);
        if (length < 0) {
            if (errno == EINTR) continue;
            result = -errno;
            break;
        }
        for (struct nlmsghdr *message = (struct nlmsghdr *)space; NLMSG_OK(message, (size_t)length);
             message = NLMSG_NEXT(message, length)) {
            if (message->nlmsg_seq < first || message->nlmsg_seq > last) continue;
            if (message->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *error = NLMSG_DATA(message);
                if (error->error && !result) result = error->error;
                if (message->nlmsg_seq == last || (error->error && message->nlmsg_seq == first)) done = 1;
            } else if (message->nlmsg_type == NLMSG_DONE) {
                done = 1;
            } else {
                int rc = each ? each(message, context) : 0;
                if (rc && !result) result = rc;
                if (!(message->nlmsg_flags & NLM_F_MULTI) && message->nlmsg_seq == last) done = 1;
            }
        }
    }
    free(space);
    return result;
}

static void begin_batch(struct buffer *b) {
    end_message(b, begin_message(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
}

/// Ends the batch, sends it on `fd` and waits for the ack of every change in it (each asked for one).
static int commit_on(int fd, struct buffer *b, uint32_t batch_start) {
    uint32_t last_change = b->sequence;
    end_message(b, begin_message(b, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES));
    if (b->failed) return -ENOMEM;
    int rc = send_all(fd, b);
    return rc ? rc : receive(fd, batch_start, last_change, NULL, NULL);
}

static int commit(struct buffer *b, int deletes) {
    int fd = open_socket();
    if (fd < 0) return fd;
    int rc = commit_on(fd, b, 1);
    if (deletes) swnet_nf_close(fd);
    else close(fd);
    return rc;
}

/// What the holding child keeps, written before it starts into memory it alone uses.
struct holder {
    int socket;
    int pipe;
};

/// The child's whole life. It shares swnet's memory and thread-local storage, so it calls
/// nothing but system calls; it inherits the signal mask of swnet holding its lock, with the
/// signals swnet handles blocked, so its read is not interrupted and sets no errno of swnet's.
static int hold(void *argument) {
    const struct holder *holder = argument;
    int fd = holder->socket, end = holder->pipe;
    // Only the socket and the pipe's reading end stay: not the state lock, not the caller's
    // standard output (a shell reading `$(swnet …)` would wait for the child too).
    unsigned int keep[2] = {(unsigned int)(fd < end ? fd : end), (unsigned int)(fd < end ? end : fd)};
    if (keep[0] > 0) close_range(0, keep[0] - 1, 0);
    if (keep[1] > keep[0] + 1) close_range(keep[0] + 1, keep[1] - 1, 0);
    close_range(keep[1] + 1, ~0U, 0);
    char byte;
    // The writing end closes when swnet exits (or execs): then this is the last reference.
    while (read(end, &byte, 1) < 0 && errno == EINTR) {}
    _exit(0);
}

int swnet_nf_close(int fd) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    // The child shares swnet's memory (CLONE_VM) and has a file table of its own: unlike after
    // fork, no page table is copied, the rest of the command writes its pages without a
    // copy-on-write fault each, and the address space is freed by whichever exits last (the
    // child), not on swnet's way out.
    const size_t stack_size = 64 << 10;
    void *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    pid_t child = -1;
    if (stack != MAP_FAILED) {
        struct holder *holder = stack;
        *holder = (struct holder){.socket = fd, .pipe = ends[0]};
        child = clone(hold, (char *)stack + stack_size, CLONE_VM | SIGCHLD, holder);
    }
    int rc = child < 0 ? -errno : 0;
    if (child < 0 && stack != MAP_FAILED) munmap(stack, stack_size);
    close(ends[0]);
    close(fd);
    if (child < 0) close(ends[1]);
    return rc;
}

// MARK: Table, maps, chains, rules

/// Opens an expression of the rule being built; `data` keeps the two nests `end_expression` closes.
static void expression(struct buffer *b, const char *name, size_t *data) {
    size_t element = begin_nest(b, NFTA_LIST_ELEM);
    put_string(b, NFTA_EXPR_NAME, name);
    data[0] = element;
    data[1] = begin_nest(b, NFTA_EXPR_DATA);
}

static void end_expression(struct buffer *b, const size_t *data) {
    end_nest(b, data[1]);
    end_nest(b, data[0]);
}

static void map(struct buffer *b, int family, const char *name, uint32_t id, int addressed) {
    long message = begin_message(b, nft_type(NFT_MSG_NEWSET), NLM_F_CREATE | NLM_F_ACK, nfproto(family), 0);
    put_string(b, NFTA_SET_TABLE, TABLE);
    put_string(b, NFTA_SET_NAME, name);
    put_u32(b, NFTA_SET_FLAGS, NFT_SET_MAP);
    uint32_t address_type = family == 6 ? TYPE_IP6ADDR : TYPE_IPADDR;
    uint32_t port_key = concat(TYPE_INET_PROTOCOL, TYPE_INET_SERVICE);
    put_u32(b, NFTA_SET_KEY_TYPE, addressed ? concat(concat(address_type, TYPE_INET_PROTOCOL), TYPE_INET_SERVICE) : port_key);
    put_u32(b, NFTA_SET_KEY_LEN, (uint32_t)((addressed ? address_length(family) : 0) + 8));
    put_u32(b, NFTA_SET_DATA_TYPE, concat(address_type, TYPE_INET_SERVICE));
    put_u32(b, NFTA_SET_DATA_LEN, (uint32_t)(address_length(family) + 4));
    put_u32(b, NFTA_SET_ID, id);
    // Every element counts its packets: an unpublished port whose forward never matched any
    // has no tracked connection to forget.
    size_t counter = begin_nest(b, NFTA_SET_EXPR);
    put_string(b, NFTA_EXPR_NAME, "counter");
    end_nest(b, begin_nest(b, NFTA_EXPR_DATA));
    end_nest(b, counter);
    end_message(b, message);
}

static void chain(struct buffer *b, int family, const char *name, uint32_t hook) {
    long message = begin_message(b, nft_type(NFT_MSG_NEWCHAIN), NLM_F_CREATE | NLM_F_ACK, nfproto(family), 0);
    put_string(b, NFTA_CHAIN_TABLE, TABLE);
    put_string(b, NFTA_CHAIN_NAME, name);
    size_t nest = begin_nest(b, NFTA_CHAIN_HOOK);
    put_u32(b, NFTA_HOOK_HOOKNUM, hook);
    put_u32(b, NFTA_HOOK_PRIORITY, (uint32_t)NF_IP_PRI_NAT_DST);  // dstnat, for IPv6 too
    end_nest(b, nest);
    put_string(b, NFTA_CHAIN_TYPE, "nat");
    put_u32(b, NFTA_CHAIN_POLICY, NF_ACCEPT);
    end_message(b, message);
}

/// An expression loading into register `destination`, with up to three more u32 attributes (an
/// attribute 0 is left out).
static void load(struct buffer *b, const char *name, uint16_t register_attribute, uint32_t destination,
                 uint16_t first, uint32_t first_value, uint16_t second, uint32_t second_value,
                 uint16_t third, uint32_t third_value) {
    size_t data[2];
    expression(b, name, data);
    put_u32(b, register_attribute, destination);
    put_u32(b, first, first_value);
    if (second) put_u32(b, second, second_value);
    if (third) put_u32(b, third, third_value);
    end_expression(b, data);
}

/// `fib daddr type local dnat to [daddr .] meta l4proto . th dport map @map`.
static void forwarding_rule(struct buffer *b, int family, const char *chain_name, const char *map_name, uint32_t map_id, int addressed) {
    long message = begin_message(b, nft_type(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, nfproto(family), 0);
    put_string(b, NFTA_RULE_TABLE, TABLE);
    put_string(b, NFTA_RULE_CHAIN, chain_name);
    size_t list = begin_nest(b, NFTA_RULE_EXPRESSIONS);
    size_t data[2];

    load(b, "fib", NFTA_FIB_DREG, NFT_REG_1, NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE, NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR, 0, 0);
    expression(b, "cmp", data);
    put_u32(b, NFTA_CMP_SREG, NFT_REG_1);
    put_u32(b, NFTA_CMP_OP, NFT_CMP_EQ);
    size_t value = begin_nest(b, NFTA_CMP_DATA);
    uint32_t local = RTN_LOCAL;  // The fib result is in host byte order.
    put(b, NFTA_DATA_VALUE, &local, sizeof(local));
    end_nest(b, value);
    end_expression(b, data);

    // The key, in consecutive 4-byte registers from NFT_REG_1: [address] protocol port.
    uint32_t next = NFT_REG32_00;
    if (addressed) {
        uint32_t offset = family == 6 ? 24 : 16;  // Destination address in the IP header.
        load(b, "payload", NFTA_PAYLOAD_DREG, next, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER,
             NFTA_PAYLOAD_OFFSET, offset, NFTA_PAYLOAD_LEN, (uint32_t)address_length(family));
        next += (uint32_t)address_length(family) / 4;
    }
    load(b, "meta", NFTA_META_DREG, next, NFTA_META_KEY, NFT_META_L4PROTO, 0, 0, 0, 0);
    load(b, "payload", NFTA_PAYLOAD_DREG, next + 1, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER,
         NFTA_PAYLOAD_OFFSET, 2, NFTA_PAYLOAD_LEN, 2);

    // The value, address then port, back into the registers from NFT_REG_1.
    expression(b, "lookup", data);
    put_string(b, NFTA_LOOKUP_SET, map_name);
    put_u32(b, NFTA_LOOKUP_SET_ID, map_id);
    put_u32(b, NFTA_LOOKUP_SREG, NFT_REG_1);
    put_u32(b, NFTA_LOOKUP_DREG, NFT_REG_1);
    end_expression(b, data);

    expression(b, "nat", data);
    put_u32(b, NFTA_NAT_TYPE, NFT_NAT_DNAT);
    put_u32(b, NFTA_NAT_FAMILY, (uint32_t)nfproto(family));
    put_u32(b, NFTA_NAT_REG_ADDR_MIN, NFT_REG_1);
    put_u32(b, NFTA_NAT_REG_PROTO_MIN, NFT_REG32_00 + (uint32_t)address_length(family) / 4);
    put_u32(b, NFTA_NAT_FLAGS, NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED);
    end_expression(b, data);

    end_nest(b, list);
    end_message(b, message);
}

int swnet_nft_ensure(int family) {
    struct buffer b = {0};
    begin_batch(&b);
    // A table that exists is left as it is: the batch fails whole on its first message.
    long message = begin_message(&b, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, nfproto(family), 0);
    put_string(&b, NFTA_TABLE_NAME, TABLE);
    end_message(&b, message);
    map(&b, family, ONE_ADDRESS_MAP, 1, 1);
    map(&b, family, ANY_ADDRESS_MAP, 2, 0);
    const struct { const char *name; uint32_t hook; } chains[] = {{"prerouting", NF_INET_PRE_ROUTING}, {"output", NF_INET_LOCAL_OUT}};
    for (size_t i = 0; i < 2; i++) {
        chain(&b, family, chains[i].name, chains[i].hook);
        forwarding_rule(&b, family, chains[i].name, ONE_ADDRESS_MAP, 1, 1);
        forwarding_rule(&b, family, chains[i].name, ANY_ADDRESS_MAP, 2, 0);
    }
    int rc = commit(&b, 0);
    free(b.bytes);
    return rc == -EEXIST ? 0 : rc;
}

int swnet_nft_remove(int family) {
    struct buffer b = {0};
    begin_batch(&b);
    long message = begin_message(&b, nft_type(NFT_MSG_DELTABLE), NLM_F_ACK, nfproto(family), 0);
    put_string(&b, NFTA_TABLE_NAME, TABLE);
    end_message(&b, message);
    int rc = commit(&b, 1);
    free(b.bytes);
    return rc == -ENOENT ? 0 : rc;
}

int swnet_nft_exists(int family) {
    struct buffer b = {0};
    long message = begin_message(&b, nft_type(NFT_MSG_GETTABLE), 0, nfproto(family), 0);
    put_string(&b, NFTA_TABLE_NAME, TABLE);
    end_message(&b, message);
    int fd = b.failed ? -ENOMEM : open_socket();
    int rc = fd;
    if (fd >= 0) {
        rc = send_all(fd, &b);
        if (rc == 0) rc = receive(fd, 1, 1, NULL, NULL);
        close(fd);
    }
    free(b.bytes);
    return rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
}

// MARK: Elements

/// A forward's map element in the kernel's layout: key and value in 4-byte register slots.
struct element {
    const char *map;
    unsigned char key[24];
    size_t key_length;
    unsigned char value[20];
    size_t value_length;
};

static int encode(const struct swnet_nft_forward *forward, struct element *e) {
    int af = forward->family == 6 ? AF_INET6 : AF_INET;
    size_t length = address_length(forward->family);
    memset(e, 0, sizeof(*e));
    unsigned char *key = e->key;
    if (forward->host_address) {
        if (inet_pton(af, forward->host_address, key) != 1) return -EINVAL;
        key += length;
    }
    key[0] = (unsigned char)forward->protocol;
    uint16_t host_port = htons(forward->host_port);
    memcpy(key + 4, &host_port, 2);
    e->key_length = (size_t)(key + 8 - e->key);
    e->map = forward->host_address ? ONE_ADDRESS_MAP : ANY_ADDRESS_MAP;
    if (!forward->address) return 0;
    if (inet_pton(af, forward->address, e->value) != 1) return -EINVAL;
    uint16_t port = htons(forward->port);
    memcpy(e->value + length, &port, 2);
    e->value_length = length + 4;
    return 0;
}

static void put_value(struct buffer *b, uint16_t type, const unsigned char *bytes, size_t length) {
    size_t nest = begin_nest(b, type);
    put(b, NFTA_DATA_VALUE, bytes, length);
    end_nest(b, nest);
}

static void element_message(struct buffer *b, int message_type, uint16_t flags, int family, const struct element *e, int with_value) {
    long message = begin_message(b, nft_type(message_type), flags, nfproto(family), 0);
    put_string(b, NFTA_SET_ELEM_LIST_TABLE, TABLE);
    put_string(b, NFTA_SET_ELEM_LIST_SET, e->map);
    size_t list = begin_nest(b, NFTA_SET_ELEM_LIST_ELEMENTS);
    size_t item = begin_nest(b, NFTA_LIST_ELEM);
    put_value(b, NFTA_SET_ELEM_KEY, e->key, e->key_length);
    if (with_value) put_value(b, NFTA_SET_ELEM_DATA, e->value, e->value_length);
    end_nest(b, item);
    end_nest(b, list);
    end_message(b, message);
}

/// An element as the kernel reports it.
struct found {
    int present;
    unsigned char key[24];
    size_t key_length;
    unsigned char value[20];
    size_t value_length;
    uint64_t packets;
};

static const struct nlattr *first_attribute(const void *start, size_t length, size_t *remaining) {
    *remaining = length;
    return start;
}

#define EACH_ATTRIBUTE(attribute, start, length, remaining)                                              \
    for (const struct nlattr *attribute = first_attribute((start), (length), &(remaining));              \
         (remaining) >= NLA_HDRLEN && attribute->nla_len >= NLA_HDRLEN && attribute->nla_len <= (remaining); \
         (remaining) -= NLA_ALIGN(attribute->nla_len) < (remaining) ? NLA_ALIGN(attribute->nla_len) : (remaining), \
         attribute = (const struct nlattr *)((const char *)attribute + NLA_ALIGN(attribute->nla_len)))

static const void *payload(const struct nlattr *attribute) { return (const char *)attribute + NLA_HDRLEN; }
static size_t payload_length(const struct nlattr *attribute) { return attribute->nla_len - NLA_HDRLEN; }
static uint16_t kind(const struct nlattr *attribute) { return attribute->nla_type & NLA_TYPE_MASK; }

static void copy_value(const struct nlattr *nest, unsigned char *into, size_t capacity, size_t *length) {
    size_t remaining;
    EACH_ATTRIBUTE(attribute, payload(nest), payload_length(nest), remaining) {
        if (kind(attribute) == NFTA_DATA_VALUE && payload_length(attribute) <= capacity) {
            memcpy(into, payload(attribute), payload_length(attribute));
            *length = payload_length(attribute);
        }
    }
}

static uint64_t counter_packets(const struct nlattr *expression) {
    size_t remaining, inner;
    int is_counter = 0;
    uint64_t packets = 0;
    EACH_ATTRIBUTE(attribute, payload(expression), payload_length(expression), remaining) {
        if (kind(attribute) == NFTA_EXPR_NAME) is_counter = strcmp(payload(attribute), "counter") == 0;
        if (kind(attribute) != NFTA_EXPR_DATA) continue;
        EACH_ATTRIBUTE(field, payload(attribute), payload_length(attribute), inner) {
            if (kind(field) == NFTA_COUNTER_PACKETS && payload_length(field) == 8) {
                uint64_t network;
                memcpy(&network, payload(field), 8);
                packets = be64toh(network);
            }
        }
    }
    return is_counter ? packets : 0;
}

/// Calls `each` for every element of a NEWSETELEM message.
static int each_element(const struct nlmsghdr *message, void (*each)(const struct found *, const char *map, void *), void *context) {
    const char *map = "";
    size_t offset = NLMSG_ALIGN(sizeof(struct nfgenmsg)), remaining, items, fields, expressions;
    const void *start = (const char *)NLMSG_DATA(message) + offset;
    size_t length = message->nlmsg_len - NLMSG_HDRLEN - offset;
    EACH_ATTRIBUTE(attribute, start, length, remaining) {
        if (kind(attribute) == NFTA_SET_ELEM_LIST_SET) map = payload(attribute);
        if (kind(attribute) != NFTA_SET_ELEM_LIST_ELEMENTS) continue;
        EACH_ATTRIBUTE(item, payload(attribute), payload_length(attribute), items) {
            struct found f = {.present = 1};
            EACH_ATTRIBUTE(field, payload(item), payload_length(item), fields) {
                switch (kind(field)) {
                case NFTA_SET_ELEM_KEY: copy_value(field, f.key, sizeof(f.key), &f.key_length); break;
                case NFTA_SET_ELEM_DATA: copy_value(field, f.value, sizeof(f.value), &f.value_length); break;
                case NFTA_SET_ELEM_EXPR: f.packets += counter_packets(field); break;
                case NFTA_SET_ELEM_EXPRESSIONS:
                    EACH_ATTRIBUTE(entry, payload(field), payload_length(field), expressions) {
                        f.packets += counter_packets(entry);
                    }
                    break;
                }
            }
            each(&f, map, context);
        }
    }
    return 0;
}

static void keep_first(const struct found *f, const char *map, void *context) {
    (void)map;
    struct found *into = context;
    if (!into->present) *into = *f;
}

static int collect_one(const struct nlmsghdr *message, void *context) {
    if (message->nlmsg_type != nft_type(NFT_MSG_NEWSETELEM)) return 0;
    return each_element(message, keep_first, context);
}

/// The element with `e`'s key, if the map has one. The request is numbered `sequence`; the
/// reply is the element or an error, nothing after it.
static int look_up(int fd, uint32_t sequence, int family, const struct element *e, struct found *into) {
    struct buffer b = {.sequence = sequence - 1};
    element_message(&b, NFT_MSG_GETSETELEM, 0, family, e, 0);
    memset(into, 0, sizeof(*into));
    int rc = b.failed ? -ENOMEM : send_all(fd, &b);
    if (rc == 0) rc = receive(fd, sequence, sequence, collect_one, into);
    free(b.bytes);
    return rc == -ENOENT ? 0 : rc;
}

int swnet_nft_apply(int family, const struct swnet_nft_forward *adding, size_t adding_count,
                    const struct swnet_nft_forward *removing, size_t removing_count, uint64_t *packets) {
    int fd = open_socket();
    if (fd < 0) return fd;
    // The look-ups are numbered after the batch's messages, all on one socket.
    uint32_t lookups = (uint32_t)(2 * (adding_count + removing_count) + 3);
    struct buffer b = {0};
    begin_batch(&b);
    int rc = 0;
    size_t changes = 0, deletions = 0;
    for (size_t i = 0; i < removing_count + adding_count && rc == 0; i++) {
        int adds = i >= removing_count;
        const struct swnet_nft_forward *forward = adds ? &adding[i - removing_count] : &removing[i];
        struct element e;
        struct found existing;
        if ((rc = encode(forward, &e)) || (rc = look_up(fd, lookups + (uint32_t)i, family, &e, &existing))) break;
        // A forward to be removed goes only if it still sends where it says; one to be added
        // replaces whatever else had its port (swnet's state says the port is now this one's),
        // and is left as it is (its counter with it) when it is there already.
        int same = existing.value_length == e.value_length && memcmp(existing.value, e.value, e.value_length) == 0;
        if (adds && existing.present && same) continue;
        if (existing.present && (adds || same)) {
            element_message(&b, NFT_MSG_DELSETELEM, NLM_F_ACK, family, &e, 0);
            if (!adds && packets) *packets += existing.packets;
            changes++;
            deletions++;
        }
        if (adds) {
            element_message(&b, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_ACK, family, &e, 1);
            changes++;
        }
    }
    if (rc == 0 && changes) rc = commit_on(fd, &b, 1);
    if (deletions) swnet_nf_close(fd);
    else close(fd);
    free(b.bytes);
    return rc;
}

struct listing {
    int family;
    void (*each)(const struct swnet_nft_forward *, void *);
    void *context;
};

static void report(const struct found *f, const char *map, void *context) {
    const struct listing *listing = context;
    int af = listing->family == 6 ? AF_INET6 : AF_INET;
    size_t length = address_length(listing->family);
    int addressed = strcmp(map, ONE_ADDRESS_MAP) == 0;
    if (f->key_length != (addressed ? length : 0) + 8 || f->value_length != length + 4) return;
    char host[INET6_ADDRSTRLEN] = "", address[INET6_ADDRSTRLEN];
    if (addressed && !inet_ntop(af, f->key, host, sizeof(host))) return;
    if (!inet_ntop(af, f->value, address, sizeof(address))) return;
    const unsigned char *key = f->key + (addressed ? length : 0);
    uint16_t host_port, port;
    memcpy(&host_port, key + 4, 2);
    memcpy(&port, f->value + length, 2);
    struct swnet_nft_forward forward = {
        .family = listing->family, .host_address = addressed ? host : NULL, .protocol = key[0],
        .host_port = ntohs(host_port), .address = address, .port = ntohs(port),
    };
    listing->each(&forward, listing->context);
}

static int report_all(const struct nlmsghdr *message, void *context) {
    if (message->nlmsg_type != nft_type(NFT_MSG_NEWSETELEM)) return 0;
    return each_element(message, report, context);
}

int swnet_nft_list(int family, void (*each)(const struct swnet_nft_forward *, void *), void *context) {
    struct listing listing = {family, each, context};
    const char *maps[] = {ONE_ADDRESS_MAP, ANY_ADDRESS_MAP};
    for (size_t i = 0; i < 2; i++) {
        struct buffer b = {0};
        long message = begin_message(&b, nft_type(NFT_MSG_GETSETELEM), NLM_F_DUMP | NLM_F_ACK, nfproto(family), 0);
        put_string(&b, NFTA_SET_ELEM_LIST_TABLE, TABLE);
        put_string(&b, NFTA_SET_ELEM_LIST_SET, maps[i]);
        end_message(&b, message);
        int fd = b.failed ? -ENOMEM : open_socket();
        int rc = fd;
        if (fd >= 0) {
            rc = send_all(fd, &b);
            if (rc == 0) rc = receive(fd, 1, 1, report_all, &listing);
            close(fd);
        }
        free(b.bytes);
        if (rc == -ENOENT) return 0;
        if (rc) return rc;
    }
    return 0;
}
