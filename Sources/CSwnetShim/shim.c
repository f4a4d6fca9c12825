#include "CSwnetShim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <linux/mount.h>

const int swnet_CLONE_NEWNET = CLONE_NEWNET;
const int swnet_CLONE_NEWNS = CLONE_NEWNS;
const int swnet_CLONE_NEWUTS = CLONE_NEWUTS;

int swnet_unshare(int flags) { return unshare(flags); }
int swnet_setns(int fd, int nstype) { return setns(fd, nstype); }

int swnet_is_nsfs(int fd) {
    struct statfs info;
    if (fstatfs(fd, &info) != 0) return -1;
    return info.f_type == NSFS_MAGIC ? 1 : 0;
}

int swnet_exchange(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
}

int swnet_rename_noreplace(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}

int swnet_write_synced(int fd, const void *first, size_t first_length, const void *second, size_t second_length,
                       off_t offset) {
    struct iovec parts[2] = {{(void *)first, first_length}, {(void *)second, second_length}};
    struct iovec *next = parts;
    int count = 2;
    size_t left = first_length + second_length;
    int synced = 1;
    while (left > 0) {
        ssize_t written = synced ? pwritev2(fd, next, count, offset, RWF_DSYNC) : pwritev(fd, next, count, offset);
        if (written < 0) {
            if (errno == EINTR) continue;
            // A kernel before 4.7, or a file system that takes no per-write flags.
            if (synced && (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)) {
                synced = 0;
                continue;
            }
            return -1;
        }
        if (written == 0) {
            errno = EIO;
            return -1;
        }
        offset += written;
        left -= (size_t)written;
        while (count > 0 && (size_t)written >= next->iov_len) {
            written -= (ssize_t)next->iov_len;
            next++;
            count--;
        }
        if (count > 0) {
            next->iov_base = (char *)next->iov_base + written;
            next->iov_len -= (size_t)written;
        }
    }
    return synced ? 0 : fdatasync(fd);
}

int swnet_private_procfs(void) {
    int context = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
    if (context < 0) return -1;
    int mount = -1;
    if (syscall(SYS_fsconfig, context, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
        mount = (int)syscall(SYS_fsmount, context, FSMOUNT_CLOEXEC, 0);
    }
    int error = errno;
    close(context);
    errno = error;
    return mount;
}

const void *swnet_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
