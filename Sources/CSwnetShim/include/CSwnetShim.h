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

/// Renames `from` to `to` unless `to` exists (renameat2 with RENAME_NOREPLACE). Returns 0, or
/// -1 with errno set (EEXIST when `to` exists).
int swnet_rename_noreplace(const char *from, const char *to);

/// Writes `first` then `second` at `offset` and returns once both are on disk, with what reading
/// them back needs (the file's size, when they extend it), as fdatasync would leave them: one
/// pwritev2 with RWF_DSYNC, which syncs what it wrote alone (a `connect`'s frame, median of 120:
/// 292 us, against 316 for two pwrites and fdatasync). Falls back to pwritev and fdatasync where
/// the kernel or file system takes no RWF_DSYNC. Returns 0, or -1 with errno set.
int swnet_write_synced(int fd, const void *first, size_t first_length, const void *second, size_t second_length,
                       off_t offset);

/// Where `needle` first occurs in `haystack`, or NULL: glibc's memmem, which Swift's Glibc
/// module does not export (it needs _GNU_SOURCE).
const void *swnet_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// A new procfs instance, mounted nowhere (fsopen, fsconfig, fsmount): a directory descriptor
/// for its root, gone with the last descriptor. Returns the descriptor, or -1 with errno set.
int swnet_private_procfs(void);

/// Makes the empty file `<directory>/checked-<device>-<inode>-<mtime>`, named after this
/// executable's file, and `directory` if missing: 1 when this call made it, 0 when it was
/// there, -1 when it could not.
int swnet_executable_mark(const char *directory);

/// Whether the page cache holds any 2 MB of this executable's code or constant data in 4 KB
/// pages, as exec reads a binary the cache does not hold (after a boot): 1 when it does, 0 when
/// in larger folios, -1 when it cannot tell (no CAP_SYS_ADMIN to read page frames, or not
/// x86-64). Looks at one page of each 2 MB that the process maps.
int swnet_executable_in_small_pages(void);

/// Drops the executable's code and constant data from the page cache, which other processes do
/// not map, and reads them back in 2 MB folios (MADV_HUGEPAGE). Returns 0, or -1 when it could
/// not start (no transparent huge pages, not x86-64).
int swnet_executable_reread_in_huge_pages(void);

#endif
