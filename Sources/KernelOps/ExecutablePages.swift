import CSwnetShim
import Glibc

/// swnet's own code and constant data as the page cache holds them, which sets what every
/// command's start and exit cost.
///
/// Every command is a new process that maps ~6 MB of swnet's code by page faults and unmaps it
/// at exit. When the cache holds the binary in large folios, as a binary just written by `cp` or
/// `install` (64 KB) or one read through a mapping that asks for huge pages (2 MB), a fault maps
/// a folio's pages at once and the exit unmaps them as fast; but exec reads a binary the cache
/// does not hold (after every boot) in 4 KB pages, and so it stays until the cache lets it go:
/// each command then took 0.3-0.5 ms more (see the README's Performance). So the first command
/// that finds the binary so re-reads it (`swnet_executable_reread_in_huge_pages`, ~25 ms once).
public enum ExecutablePages {
    /// Where the marks go. /run is emptied at every boot, when the cache is too.
    static let markDirectory = "/run/swnet"

    /// Re-reads the executable into 2 MB folios when the cache holds its code in 4 KB pages.
    /// Only the first command of each binary in a boot looks (the look reads a page's flags per
    /// 2 MB, ~25 µs; the mark costs a `stat` and an `open`, ~10), and so re-reads at most once:
    /// a file system without large folios (ext4 before Linux 6.16) would hand back 4 KB pages
    /// again, and every command would pay the re-read. The mark is an empty file in
    /// `markDirectory` named after the binary's device, inode and modification time, made before
    /// the look, which also keeps parallel commands from re-reading at once. Without the
    /// privilege to see page frames (not root), does nothing.
    public static func rereadOncePerBoot() {
        guard geteuid() == 0, swnet_executable_mark(markDirectory) == 1,
            swnet_executable_in_small_pages() == 1
        else { return }
        _ = swnet_executable_reread_in_huge_pages()
    }
}
