#ifndef CSWNET_SHIM_H
#define CSWNET_SHIM_H

// <net/if.h> first: see CNetlink.h.
#include <net/if.h>
#include <sys/types.h>

/// Namespace flags that Swift's Glibc module does not export (they need _GNU_SOURCE).
extern const int swnet_CLONE_NEWNET;
extern const int swnet_CLONE_NEWNS;
extern const int swnet_CLONE_NEWUTS;

int swnet_unshare(int flags);
int swnet_setns(int fd, int nstype);

/// 1 when `fd` is a namespace handle (its file system is nsfs), 0 when not, -1 on error.
int swnet_is_nsfs(int fd);

/// Swaps the files at `from` and `to` in one step (renameat2 with RENAME_EXCHANGE, which
/// Swift's Glibc module does not export). Returns 0, or -1 with errno set.
int swnet_exchange(const char *from, const char *to);

/// Body run on a short-lived thread; `context` is passed through untouched.
typedef void (*swnet_thread_body)(void *context);

/// Runs `body` on a new thread that first entered the network namespace open at `nsfd`.
/// Namespace membership is per thread, so the caller's thread never changes namespace.
/// Returns 0, or the errno of the thread creation or of `setns` (then `body` did not run).
int swnet_run_in_netns(int nsfd, swnet_thread_body body, void *context);

/// Runs `body` on a new thread that first moved itself into a brand-new network namespace,
/// reachable from `body` at /proc/thread-self/ns/net. Returns 0 or an errno as above.
int swnet_run_in_new_netns(swnet_thread_body body, void *context);

#endif
