#include "CSwnetShim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
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
