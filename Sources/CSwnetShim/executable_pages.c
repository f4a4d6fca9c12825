// swnet's own pages in the page cache, re-read into huge folios: see
// Sources/KernelOps/ExecutablePages.swift for why, and when.

#include "CSwnetShim.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kernel-page-flags.h>

int swnet_executable_mark(const char *directory) {
    struct stat binary;
    if (stat("/proc/self/exe", &binary) != 0) return -1;
    char path[4096];
    int length = snprintf(path, sizeof path, "%s/checked-%llu-%llu-%lld.%09ld", directory,
                          (unsigned long long)binary.st_dev, (unsigned long long)binary.st_ino,
                          (long long)binary.st_mtim.tv_sec, (long)binary.st_mtim.tv_nsec);
    if (length < 0 || (size_t)length >= sizeof path) return -1;
    int mark = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (mark < 0 && errno == ENOENT && mkdir(directory, 0700) == 0) {
        mark = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (mark < 0) return errno == EEXIST ? 0 : -1;
    close(mark);
    return 1;
}

#if defined(__x86_64__)

// What the page cache reads as one huge folio, when a mapping asks for them (MADV_HUGEPAGE).
#define WINDOW ((uintptr_t)2 << 20)

static inline __attribute__((always_inline)) uintptr_t window_of(uintptr_t address) { return address & ~(WINDOW - 1); }

/// The executable's read-only load segments: the code and the constant data.
struct segments {
    int count;
    struct {
        uintptr_t start, end;
        off_t offset;
    } at[4];
};

static int collect_read_only(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    struct segments *segments = context;
    for (int index = 0; index < info->dlpi_phnum && segments->count < 4; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        // Writable segments hold pages this process changed, which MADV_DONTNEED would discard.
        if (header->p_type != PT_LOAD || (header->p_flags & PF_W)) continue;
        uintptr_t start = info->dlpi_addr + header->p_vaddr;
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        segments->at[segments->count].start = start & ~(page - 1);
        segments->at[segments->count].end = start + header->p_filesz;
        segments->at[segments->count].offset = (off_t)(header->p_offset & ~(page - 1));
        segments->count++;
    }
    return 1; // the first object is the executable
}

/// Whether the frame of `entry` (from /proc/self/pagemap) is a 4 KB folio: 1, 0, or -1 when
/// the entry names no frame (not mapped, or no CAP_SYS_ADMIN: the kernel then reports 0).
static int frame_is_small(int pageflags, uint64_t entry) {
    uint64_t frame = entry & ((UINT64_C(1) << 55) - 1), flags = 0;
    if (!(entry >> 63) || frame == 0) return -1;
    if (pread(pageflags, &flags, sizeof flags, (off_t)(frame * sizeof flags)) != sizeof flags) return -1;
    return (flags & ((UINT64_C(1) << KPF_COMPOUND_HEAD) | (UINT64_C(1) << KPF_COMPOUND_TAIL))) ? 0 : 1;
}

int swnet_executable_in_small_pages(void) {
    struct segments segments = {0};
    dl_iterate_phdr(collect_read_only, &segments);
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    int pageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
    int small = -1;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    // One page of each window that this process maps: a copy, a read or an earlier re-read can
    // leave the file's windows in folios of different sizes.
    for (int index = 0; index < segments.count && pagemap >= 0 && pageflags >= 0 && small != 1; index++) {
        uintptr_t start = segments.at[index].start, end = segments.at[index].end;
        for (uintptr_t window = window_of(start); window < end && small != 1; window += WINDOW) {
            uintptr_t from = window < start ? start : window, to = window + WINDOW < end ? window + WINDOW : end;
            uint64_t entries[WINDOW / 4096];
            size_t count = (to - from + page - 1) / page;
            ssize_t got = pread(pagemap, entries, count * sizeof entries[0], (off_t)(from / page * sizeof entries[0]));
            for (ssize_t at = 0; at < got / (ssize_t)sizeof entries[0]; at++) {
                int answer = frame_is_small(pageflags, entries[at]);
                if (answer >= 0) {
                    small = answer;
                    break;
                }
            }
        }
    }
    if (pagemap >= 0) close(pagemap);
    if (pageflags >= 0) close(pageflags);
    return small;
}

// The system calls of a drop are made here rather than through the C library: a call to a
// function elsewhere in the text would fault its page back in from the 4 KB pages being dropped.
static inline __attribute__((always_inline)) long raw_syscall4(long number, long a, long b, long c, long d) {
    long result;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

/// Takes the windows of the segments out of the page cache: all but `kept`, or `kept` alone.
/// MADV_DONTNEED unmaps this process's pages of them (nothing is lost: the segments are never
/// written, but for a debugger's breakpoints), then POSIX_FADV_DONTNEED frees every page of the
/// file's windows that no process maps, such as those exec read around the ones it needed
/// (draining the CPUs' batches of pages on their way to the LRU lists, which hold some, when it
/// finds any it cannot free). Pages another process maps stay. The window holding the running
/// code is faulted back in between: it must be `kept`, and dropped from another.
static inline __attribute__((always_inline)) void drop_windows(const struct segments *segments, int file,
                                                                uintptr_t kept, int only_kept) {
    for (int pass = 0; pass < 2; pass++) {
        for (int index = 0; index < segments->count; index++) {
            uintptr_t start = segments->at[index].start, end = segments->at[index].end;
            for (uintptr_t window = window_of(start); window < end; window += WINDOW) {
                if ((window == kept) != only_kept) continue;
                if (pass == 0) {
                    uintptr_t from = window < start ? start : window;
                    uintptr_t to = window + WINDOW < end ? window + WINDOW : end;
                    raw_syscall4(SYS_madvise, (long)from, (long)(to - from), MADV_DONTNEED, 0);
                } else {
                    // The whole window of the file, with whatever lies between the segments.
                    off_t at = segments->at[index].offset + (off_t)window - (off_t)start;
                    raw_syscall4(SYS_fadvise64, file, (long)(at < 0 ? 0 : at), (long)WINDOW, POSIX_FADV_DONTNEED);
                }
            }
        }
    }
}

static void __attribute__((noinline)) drop_all_windows_but(const struct segments *segments, int file, uintptr_t kept) {
    drop_windows(segments, file, kept, 0);
}

// In a section of its own, which the link's symbol order (hot-text.order) puts first in the
// text: in another window than `drop_all_windows_but`, whose window it drops.
static void __attribute__((noinline, section(".text.swnet_drop_window")))
swnet_drop_window(const struct segments *segments, int file, uintptr_t window) {
    drop_windows(segments, file, window, 1);
}

int swnet_executable_reread_in_huge_pages(void) {
    struct segments segments = {0};
    dl_iterate_phdr(collect_read_only, &segments);
    if (segments.count == 0) return -1;
    for (int index = 0; index < segments.count; index++) {
        // Without transparent huge pages this fails, and dropping the pages would gain nothing.
        size_t length = segments.at[index].end - segments.at[index].start;
        if (madvise((void *)segments.at[index].start, length, MADV_HUGEPAGE) != 0) return -1;
    }
    int file = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (file < 0) return -1;
    uintptr_t here = window_of((uintptr_t)&drop_all_windows_but);
    drop_all_windows_but(&segments, file, here);
    if (window_of((uintptr_t)&swnet_drop_window) != here) swnet_drop_window(&segments, file, here);
    close(file);
    // Each window read now, by a fault in a mapping that asks for huge pages, comes in as one
    // folio, with the next one read ahead; a later command's faults find them all in place.
    for (int index = 0; index < segments.count; index++) {
        uintptr_t start = segments.at[index].start, end = segments.at[index].end;
        for (uintptr_t window = window_of(start); window < end; window += WINDOW) {
            (void)*(volatile const char *)(window < start ? start : window);
        }
    }
    return 0;
}

#else

// Elsewhere the pages stay as exec read them.
int swnet_executable_in_small_pages(void) { return -1; }
int swnet_executable_reread_in_huge_pages(void) { return -1; }

#endif
