// Rule blobs for libiptc. The kernel's ipt_entry/ip6t_entry are variable-length records with
// aligned match and target payloads; building them is C's job, and the rest of swnet only sees
// struct swnet_fw_rule.
#include "CIPTables.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libiptc/libiptc.h>
#include <libiptc/libip6tc.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <netinet/in.h>

const unsigned int swnet_fw_CTSTATE_ESTABLISHED = XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED);
const unsigned int swnet_fw_CTSTATE_RELATED = XT_CONNTRACK_STATE_BIT(IP_CT_RELATED);
const unsigned int swnet_fw_CTSTATE_DNAT = XT_CONNTRACK_STATE_DNAT;

/// The libiptc functions swnet calls, for one family. Entries are `struct ipt_entry` for IPv4
/// and `struct ip6t_entry` for IPv6, hence `void *` here.
struct libiptc {
    struct xtc_handle *(*init)(const char *table);
    void (*free)(struct xtc_handle *handle);
    int (*commit)(struct xtc_handle *handle);
    int (*is_chain)(const char *chain, struct xtc_handle *handle);
    int (*create_chain)(const char *chain, struct xtc_handle *handle);
    int (*flush_entries)(const char *chain, struct xtc_handle *handle);
    int (*delete_chain)(const char *chain, struct xtc_handle *handle);
    int (*append_entry)(const char *chain, const void *entry, struct xtc_handle *handle);
    int (*insert_entry)(const char *chain, const void *entry, unsigned int position, struct xtc_handle *handle);
    int (*delete_num_entry)(const char *chain, unsigned int number, struct xtc_handle *handle);
    const void *(*first_rule)(const char *chain, struct xtc_handle *handle);
    const void *(*next_rule)(const void *previous, struct xtc_handle *handle);
    const char *(*strerror)(int error);
    /// Where the library's C library keeps errno. swnet's release binary is static (the
    /// Makefile says why): the library it opens brings its own libc.so, whose errno is not the
    /// one `errno` reads here.
    int *(*error_location)(void);
};

/// libip4tc and libip6tc are opened when a command first needs a family's tables, not linked:
/// loading both cost every start ~0.35 ms (`swnet version` 4.19 -> 3.84 ms, interleaved), and
/// most commands use one family's tables or none (`sandbox create`, `ls`, `inspect`, `exec`).
struct family_library {
    pthread_once_t once;
    const char *soname;
    const char *prefix;
    struct libiptc api;
    int loaded;
    char why[256];
};

static struct family_library libraries[2] = {
    {PTHREAD_ONCE_INIT, "libip4tc.so.2", "iptc_", {0}, 0, ""},
    {PTHREAD_ONCE_INIT, "libip6tc.so.2", "ip6tc_", {0}, 0, ""},
};

static void *find(void *library, const char *prefix, const char *name) {
    char symbol[64];
    snprintf(symbol, sizeof(symbol), "%s%s", prefix, name);
    return dlsym(library, symbol);
}

static void load(struct family_library *entry) {
    void *library = dlopen(entry->soname, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(entry->why, sizeof(entry->why), "%s (install iptables)", dlerror());
        return;
    }
    struct libiptc *api = &entry->api;
    const char *prefix = entry->prefix;
    void **slots[] = {
        (void **)&api->init, (void **)&api->free, (void **)&api->commit, (void **)&api->is_chain,
        (void **)&api->create_chain, (void **)&api->flush_entries, (void **)&api->delete_chain,
        (void **)&api->append_entry, (void **)&api->insert_entry, (void **)&api->delete_num_entry,
        (void **)&api->first_rule, (void **)&api->next_rule, (void **)&api->strerror,
    };
    const char *names[] = {
        "init", "free", "commit", "is_chain", "create_chain", "flush_entries", "delete_chain",
        "append_entry", "insert_entry", "delete_num_entry", "first_rule", "next_rule", "strerror",
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!(*slots[i] = find(library, prefix, names[i]))) {
            snprintf(entry->why, sizeof(entry->why), "%s has no %s%s", entry->soname, prefix, names[i]);
            return;
        }
    }
    // Looked up through the library, it is its C library's.
    if (!(api->error_location = (int *(*)(void))dlsym(library, "__errno_location"))) {
        snprintf(entry->why, sizeof(entry->why), "%s reaches no __errno_location", entry->soname);
        return;
    }
    entry->loaded = 1;
}

static void load_ipv4(void) { load(&libraries[0]); }
static void load_ipv6(void) { load(&libraries[1]); }

/// The family's libiptc, opened on first use; NULL when it cannot be.
static const struct libiptc *libiptc(int family) {
    struct family_library *entry = &libraries[family == 6];
    pthread_once(&entry->once, family == 6 ? load_ipv6 : load_ipv4);
    return entry->loaded ? &entry->api : NULL;
}

struct swnet_fw_table {
    int family;
    const struct libiptc *api;
    struct xtc_handle *handle;
};

// MARK: Payload builder

/// A growing buffer of aligned match and target records.
struct payload {
    unsigned char *bytes;
    size_t size;
    int failed;
};

static void *payload_append(struct payload *p, size_t size) {
    size_t aligned = XT_ALIGN(size);
    unsigned char *grown = realloc(p->bytes, p->size + aligned);
    if (!grown) {
        p->failed = 1;
        return NULL;
    }
    memset(grown + p->size, 0, aligned);
    p->bytes = grown;
    void *record = grown + p->size;
    p->size += aligned;
    return record;
}

static void *add_match(struct payload *p, const char *name, unsigned char revision, size_t datasize) {
    size_t size = XT_ALIGN(sizeof(struct xt_entry_match)) + XT_ALIGN(datasize);
    struct xt_entry_match *match = payload_append(p, size);
    if (!match) return NULL;
    match->u.match_size = (uint16_t)size;
    strncpy(match->u.user.name, name, sizeof(match->u.user.name) - 1);
    match->u.user.revision = revision;
    return match->data;
}

static void *add_target(struct payload *p, const char *name, unsigned char revision, size_t datasize) {
    size_t size = XT_ALIGN(sizeof(struct xt_entry_target)) + XT_ALIGN(datasize);
    struct xt_entry_target *target = payload_append(p, size);
    if (!target) return NULL;
    target->u.target_size = (uint16_t)size;
    strncpy(target->u.user.name, name, sizeof(target->u.user.name) - 1);
    target->u.user.revision = revision;
    return target->data;
}

/// Parses "a.b.c.d[/n]" or "x::y[/n]" into an address and mask of `family`.
static int parse_prefix(int family, const char *text, void *address, void *mask) {
    char copy[INET6_ADDRSTRLEN + 8];
    if (strlen(text) >= sizeof(copy)) return -1;
    strcpy(copy, text);
    int bits = family == AF_INET ? 32 : 128;
    char *slash = strchr(copy, '/');
    if (slash) {
        *slash = '\0';
        char *end;
        long value = strtol(slash + 1, &end, 10);
        if (*end || value < 0 || value > bits) return -1;
        bits = (int)value;
    }
    if (inet_pton(family, copy, address) != 1) return -1;
    unsigned char *m = mask;
    int length = family == AF_INET ? 4 : 16;
    for (int i = 0; i < length; i++) {
        int take = bits > 8 ? 8 : (bits < 0 ? 0 : bits);
        m[i] = (unsigned char)(0xff << (8 - take));
        bits -= 8;
    }
    return 0;
}

/// Fills an interface name and its mask the way iptables does: the name and its terminating NUL
/// must match exactly, unless the name ends in '+' (a prefix).
static void set_interface(const char *name, char *field, unsigned char *mask) {
    size_t length = strlen(name);
    if (length >= IFNAMSIZ) length = IFNAMSIZ - 1;
    memcpy(field, name, length);
    if (length > 0 && name[length - 1] == '+') {
        memset(mask, 0xff, length - 1);
    } else {
        memset(mask, 0xff, length + 1);
    }
}

/// Appends the matches of `rule`; 0, or -1 when a value cannot be encoded.
static int add_matches(struct payload *p, int family, const struct swnet_fw_rule *rule) {
    if (rule->protocol == IPPROTO_TCP && rule->dport_first) {
        struct xt_tcp *tcp = add_match(p, "tcp", 0, sizeof(struct xt_tcp));
        if (!tcp) return -1;
        tcp->spts[1] = 0xffff;
        tcp->dpts[0] = rule->dport_first;
        tcp->dpts[1] = rule->dport_last ? rule->dport_last : rule->dport_first;
    } else if (rule->protocol == IPPROTO_UDP && rule->dport_first) {
        struct xt_udp *udp = add_match(p, "udp", 0, sizeof(struct xt_udp));
        if (!udp) return -1;
        udp->spts[1] = 0xffff;
        udp->dpts[0] = rule->dport_first;
        udp->dpts[1] = rule->dport_last ? rule->dport_last : rule->dport_first;
    }
    if (rule->ctstate) {
        struct xt_conntrack_mtinfo3 *conntrack = add_match(p, "conntrack", 3, sizeof(struct xt_conntrack_mtinfo3));
        if (!conntrack) return -1;
        conntrack->match_flags = XT_CONNTRACK_STATE;
        conntrack->state_mask = (uint16_t)rule->ctstate;
    }
    if (rule->comment) {
        struct xt_comment_info *comment = add_match(p, "comment", 0, sizeof(struct xt_comment_info));
        if (!comment) return -1;
        strncpy(comment->comment, rule->comment, XT_MAX_COMMENT_LEN - 1);
    }
    (void)family;
    return p->failed ? -1 : 0;
}

/// Appends the target of `rule`; 0, or -1 when a value cannot be encoded.
static int add_rule_target(struct payload *p, int family, const struct swnet_fw_rule *rule) {
    const char *standard = NULL;
    switch (rule->verdict) {
    case SWNET_FW_JUMP: standard = rule->jump; break;
    case SWNET_FW_ACCEPT: standard = "ACCEPT"; break;
    case SWNET_FW_DROP: standard = "DROP"; break;
    case SWNET_FW_RETURN: standard = "RETURN"; break;
    case SWNET_FW_MASQUERADE:
        if (family == AF_INET) {
            struct nf_nat_ipv4_multi_range_compat *ranges =
                add_target(p, "MASQUERADE", 0, sizeof(struct nf_nat_ipv4_multi_range_compat));
            if (!ranges) return -1;
            ranges->rangesize = 1;
        } else if (!add_target(p, "MASQUERADE", 0, sizeof(struct nf_nat_range))) {
            return -1;
        }
        return p->failed ? -1 : 0;
    default:
        return -1;
    }
    if (!standard) return -1;
    return add_target(p, standard, 0, sizeof(int)) && !p->failed ? 0 : -1;
}

// MARK: Family-specific entries and libiptc calls

/// Defines NAME, which builds one ENTRY (ipt_entry or ip6t_entry, whose address header is the
/// member IP) for `rule`, or returns NULL when a value cannot be encoded. The two families differ
/// only in these names, their inversion flags and how the protocol is set (SET_PROTOCOL).
#define DEFINE_BUILD_ENTRY(NAME, ENTRY, IP, FAMILY, INV_SRC, INV_DST, INV_IN, INV_OUT, SET_PROTOCOL)   \
    static void *NAME(const struct swnet_fw_rule *rule, size_t *size) {                                 \
        struct payload matches = {0}, target = {0};                                                    \
        struct ENTRY *entry = NULL;                                                                    \
        if (add_matches(&matches, FAMILY, rule) || add_rule_target(&target, FAMILY, rule)) goto fail;  \
        size_t header = XT_ALIGN(sizeof(struct ENTRY));                                                \
        *size = header + matches.size + target.size;                                                   \
        entry = calloc(1, *size);                                                                      \
        if (!entry) goto fail;                                                                         \
        if (rule->source) {                                                                            \
            if (parse_prefix(FAMILY, rule->source, &entry->IP.src, &entry->IP.smsk)) goto fail;        \
            if (rule->source_inverted) entry->IP.invflags |= INV_SRC;                                  \
        }                                                                                              \
        if (rule->destination) {                                                                       \
            if (parse_prefix(FAMILY, rule->destination, &entry->IP.dst, &entry->IP.dmsk)) goto fail;   \
            if (rule->destination_inverted) entry->IP.invflags |= INV_DST;                             \
        }                                                                                              \
        if (rule->in_interface) {                                                                      \
            set_interface(rule->in_interface, entry->IP.iniface, entry->IP.iniface_mask);              \
            if (rule->in_inverted) entry->IP.invflags |= INV_IN;                                       \
        }                                                                                              \
        if (rule->out_interface) {                                                                     \
            set_interface(rule->out_interface, entry->IP.outiface, entry->IP.outiface_mask);           \
            if (rule->out_inverted) entry->IP.invflags |= INV_OUT;                                     \
        }                                                                                              \
        SET_PROTOCOL;                                                                                  \
        entry->target_offset = (uint16_t)(header + matches.size);                                     \
        entry->next_offset = (uint16_t)*size;                                                          \
        memcpy(entry->elems, matches.bytes, matches.size);                                             \
        memcpy((unsigned char *)entry + entry->target_offset, target.bytes, target.size);             \
        free(matches.bytes);                                                                           \
        free(target.bytes);                                                                            \
        return entry;                                                                                  \
    fail:                                                                                              \
        free(entry);                                                                                   \
        free(matches.bytes);                                                                           \
        free(target.bytes);                                                                            \
        return NULL;                                                                                   \
    }

DEFINE_BUILD_ENTRY(build_entry4, ipt_entry, ip, AF_INET, IPT_INV_SRCIP, IPT_INV_DSTIP, IPT_INV_VIA_IN,
                   IPT_INV_VIA_OUT, entry->ip.proto = (uint16_t)rule->protocol)

// IPv6 matches the protocol only with IP6T_F_PROTO set.
DEFINE_BUILD_ENTRY(build_entry6, ip6t_entry, ipv6, AF_INET6, IP6T_INV_SRCIP, IP6T_INV_DSTIP, IP6T_INV_VIA_IN,
                   IP6T_INV_VIA_OUT, if (rule->protocol) {
                       entry->ipv6.proto = (uint16_t)rule->protocol;
                       entry->ipv6.flags |= IP6T_F_PROTO;
                   })

/// The comment of an entry's comment match, or NULL.
static const char *entry_comment(const unsigned char *elems, size_t length) {
    size_t offset = 0;
    while (offset + sizeof(struct xt_entry_match) <= length) {
        const struct xt_entry_match *match = (const void *)(elems + offset);
        if (match->u.match_size == 0) break;
        if (strcmp(match->u.user.name, "comment") == 0) {
            return ((const struct xt_comment_info *)match->data)->comment;
        }
        offset += match->u.match_size;
    }
    return NULL;
}

/// The first address an entry's DNAT target rewrites to, copied to `address` (4 or 16 bytes);
/// 0 when the target is not DNAT. Reads every revision the iptables tools write.
static int entry_dnat_address(const unsigned char *entry, uint16_t target_offset, int family, unsigned char *address) {
    const struct xt_entry_target *target = (const void *)(entry + target_offset);
    if (strcmp(target->u.user.name, "DNAT") != 0 || target->u.target_size < XT_ALIGN(sizeof(*target))) return 0;
    size_t data = target->u.target_size - XT_ALIGN(sizeof(*target));
    size_t length = family == 6 ? 16 : 4;
    if (target->u.user.revision == 0) {
        const struct nf_nat_ipv4_multi_range_compat *ranges = (const void *)target->data;
        if (family == 6 || data < sizeof(*ranges)) return 0;
        memcpy(address, &ranges->range[0].min_ip, length);
    } else {
        // Revisions 1 (nf_nat_range) and 2 (nf_nat_range2) begin alike.
        const struct nf_nat_range *range = (const void *)target->data;
        if (data < sizeof(*range)) return 0;
        memcpy(address, &range->min_addr, length);
    }
    return 1;
}

// MARK: Public API

struct swnet_fw_table *swnet_fw_open(int family, const char *table, int *error) {
    struct swnet_fw_table *result = calloc(1, sizeof(*result));
    if (!result) {
        *error = ENOMEM;
        return NULL;
    }
    result->family = family;
    result->api = libiptc(family);
    if (!result->api) {
        *error = ELIBACC;
        free(result);
        return NULL;
    }
    result->handle = result->api->init(table);
    if (!result->handle) {
        *error = *result->api->error_location();
        free(result);
        return NULL;
    }
    return result;
}

void swnet_fw_close(struct swnet_fw_table *table) {
    if (!table) return;
    table->api->free(table->handle);
    free(table);
}

int swnet_fw_commit(struct swnet_fw_table *table) {
    int ok = table->api->commit(table->handle);
    return ok ? 0 : *table->api->error_location();
}

int swnet_fw_chain_exists(struct swnet_fw_table *table, const char *chain) {
    return table->api->is_chain(chain, table->handle);
}

int swnet_fw_create_chain(struct swnet_fw_table *table, const char *chain) {
    int ok = table->api->create_chain(chain, table->handle);
    return ok ? 0 : *table->api->error_location();
}

int swnet_fw_delete_chain(struct swnet_fw_table *table, const char *chain) {
    int ok = table->api->flush_entries(chain, table->handle) && table->api->delete_chain(chain, table->handle);
    return ok ? 0 : *table->api->error_location();
}

int swnet_fw_add_rule(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_rule *rule, int position) {
    size_t size;
    void *entry = table->family == 6 ? build_entry6(rule, &size) : build_entry4(rule, &size);
    if (!entry) return EINVAL;
    int ok = position < 0 ? table->api->append_entry(chain, entry, table->handle)
                          : table->api->insert_entry(chain, entry, (unsigned int)position, table->handle);
    int error = ok ? 0 : *table->api->error_location();
    free(entry);
    return error;
}

/// What each_rule reports of one rule: its number in the chain, its comment (or NULL), whether
/// it has a DNAT target and to which address, and the packets it matched.
struct rule_marks {
    unsigned int number;
    const char *comment;
    int has_dnat;
    unsigned char dnat_address[16];
    uint64_t packets;
};

/// Calls `visit` for each rule of `chain`; stops early when it returns nonzero.
static int each_rule(struct swnet_fw_table *table, const char *chain,
                     int (*visit)(const struct rule_marks *marks, void *context), void *context) {
    struct rule_marks marks = {0};
    const struct libiptc *api = table->api;
    if (!api->is_chain(chain, table->handle)) return -ENOENT;
    if (table->family == 6) {
        for (const struct ip6t_entry *e = api->first_rule(chain, table->handle); e; e = api->next_rule(e, table->handle)) {
            marks.comment = entry_comment(e->elems, e->target_offset - sizeof(*e));
            marks.has_dnat = entry_dnat_address((const void *)e, e->target_offset, 6, marks.dnat_address);
            marks.packets = e->counters.pcnt;
            if (visit(&marks, context)) break;
            marks.number++;
        }
    } else {
        for (const struct ipt_entry *e = api->first_rule(chain, table->handle); e; e = api->next_rule(e, table->handle)) {
            marks.comment = entry_comment(e->elems, e->target_offset - sizeof(*e));
            marks.has_dnat = entry_dnat_address((const void *)e, e->target_offset, 4, marks.dnat_address);
            marks.packets = e->counters.pcnt;
            if (visit(&marks, context)) break;
            marks.number++;
        }
    }
    return 0;
}

/// A selector made ready for comparing with rules: the DNAT address parsed once.
struct rule_search {
    const char *comment;
    int by_dnat;
    unsigned char dnat_address[16];
    size_t address_length;
    unsigned int *numbers;
    unsigned int count;
    unsigned int capacity;
    int failed;
    uint64_t packets;
};

static int search_init(struct rule_search *search, int family, const struct swnet_fw_selector *selector) {
    memset(search, 0, sizeof(*search));
    search->comment = selector->comment;
    if (selector->comment) return 0;
    if (!selector->dnat_address) return -EINVAL;
    search->by_dnat = 1;
    search->address_length = family == 6 ? 16 : 4;
    return inet_pton(family == 6 ? AF_INET6 : AF_INET, selector->dnat_address, search->dnat_address) == 1 ? 0 : -EINVAL;
}

static int collect_matching(const struct rule_marks *marks, void *context) {
    struct rule_search *search = context;
    int selected = search->by_dnat
        ? marks->has_dnat && memcmp(marks->dnat_address, search->dnat_address, search->address_length) == 0
        : marks->comment && strcmp(marks->comment, search->comment) == 0;
    if (!selected) return 0;
    search->packets += marks->packets;
    if (search->count == search->capacity) {
        unsigned int capacity = search->capacity ? search->capacity * 2 : 16;
        unsigned int *grown = realloc(search->numbers, capacity * sizeof(unsigned int));
        if (!grown) {
            search->failed = 1;
            return 1;
        }
        search->numbers = grown;
        search->capacity = capacity;
    }
    search->numbers[search->count++] = marks->number;
    return 0;
}

int swnet_fw_delete_rules(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_selector *selector,
                          uint64_t *packets) {
    struct rule_search search;
    int rc = search_init(&search, table->family, selector);
    if (rc < 0) return rc;
    rc = each_rule(table, chain, collect_matching, &search);
    if (rc < 0 || search.failed) {
        free(search.numbers);
        return rc < 0 ? rc : -ENOMEM;
    }
    // Highest number first, so the numbers still to delete stay valid.
    for (unsigned int i = search.count; i > 0; i--) {
        unsigned int number = search.numbers[i - 1];
        int ok = table->api->delete_num_entry(chain, number, table->handle);
        if (!ok) {
            int error = *table->api->error_location();
            free(search.numbers);
            return -error;
        }
    }
    free(search.numbers);
    if (packets) *packets += search.packets;
    return (int)search.count;
}

int swnet_fw_count_rules(struct swnet_fw_table *table, const char *chain, const struct swnet_fw_selector *selector) {
    struct rule_search search;
    int rc = search_init(&search, table->family, selector);
    if (rc < 0) return rc;
    rc = each_rule(table, chain, collect_matching, &search);
    free(search.numbers);
    if (rc < 0) return rc;
    return search.failed ? -ENOMEM : (int)search.count;
}

struct mark_visit {
    int family;
    void (*visit)(const char *comment, const char *dnat_address, void *context);
    void *context;
};

static int visit_mark(const struct rule_marks *marks, void *context) {
    struct mark_visit *state = context;
    char text[INET6_ADDRSTRLEN];
    const char *address = marks->has_dnat
        ? inet_ntop(state->family == 6 ? AF_INET6 : AF_INET, marks->dnat_address, text, sizeof(text))
        : NULL;
    if (marks->comment || address) state->visit(marks->comment, address, state->context);
    return 0;
}

int swnet_fw_each_mark(struct swnet_fw_table *table, const char *chain,
                       void (*visit)(const char *comment, const char *dnat_address, void *context), void *context) {
    struct mark_visit state = {table->family, visit, context};
    return each_rule(table, chain, visit_mark, &state);
}

const char *swnet_fw_strerror(int family, int error) {
    const struct libiptc *api = libiptc(family);
    if (api) return api->strerror(error);
    return error == ELIBACC ? libraries[family == 6].why : strerror(error);
}
