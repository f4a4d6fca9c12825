import CSwnetShim
import Glibc

/// swnet's own code and constant data as the page cache holds them, which sets what every
/// command's start and exit cost.
///
/// Every command is a new process that maps ~6 MB of swnet's code by page faults and unmaps it
/// at exit. When the cache holds the binary in large folios, as a binary just written by `cp` or
/// `install` (64 KB) or one read through a mapping that asks for huge pages (2 MB), a fault maps
/// a folio's pages at once and the exit unmaps them as fast; but exec reads a binary the cache
/// does not hold (after every boot, or once the cache let it go) in 4 KB pages, and so it stays
/// until the cache lets it go again: each command then took 0.3-0.5 ms more, and a short attach
/// 2.1-2.7 ms more than in 2 MB folios (see the README's Performance). So a command that finds
/// the binary so re-reads it (`swnet_executable_reread_in_huge_pages`, ~25 ms once).
public enum ExecutablePages {
    /// Where the marks go. /run is emptied at every boot, when the cache is too.
    static let markDirectory = "/run/swnet"

    /// Re-reads the executable into 2 MB folios when the cache holds its code in 4 KB pages:
    /// in the first command of each binary in a boot, and in any later one whose exec had to
    /// read code back from the disk (the cache let it go: memory pressure, or a scheme paging
    /// out what sat idle), once the first one's re-read got 2 MB folios. A file system without
    /// large folios (ext4 before Linux 6.16) hands back 4 KB pages again, and there no later
    /// command tries. The look reads a page's flags per 2 MB, ~25 µs; the mark, an empty file in
    /// `markDirectory` named after the binary's device, inode and modification time, costs a
    /// `stat` and an `open` (~10 µs), and the check for a read-back one `getrusage`. The mark is
    /// made before the first look, which keeps parallel first commands from re-reading at once;
    /// after it, commands that all found the binary read back may each re-read it. Without the
    /// privilege to see page frames (not root), does nothing.
    public static func rereadWhenInSmallPages() {
        guard geteuid() == 0 else { return }
        switch swnet_executable_mark(markDirectory) {
        case 1:
            break
        case 0:
            guard swnet_executable_read_back() == 1, swnet_executable_marked_huge(markDirectory) == 1 else { return }
        default:
            return
        }
        guard swnet_executable_in_small_pages() == 1, swnet_executable_reread_in_huge_pages() == 0,
            swnet_executable_in_small_pages() == 0
        else { return }
        _ = swnet_executable_mark_huge(markDirectory)
    }
}
