// <net/if.h> first: see CNetlink.h.
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/netfilter/nfnl.h>
#include <netlink/netfilter/ct.h>
