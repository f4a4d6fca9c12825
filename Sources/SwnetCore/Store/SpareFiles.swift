import CSwnetShim
import Glibc
import SystemPackage

/// Record files that commits removed, kept in `<state-dir>/spare` for the next records to be
/// made into instead of new files.
///
/// A file made costs an inode, and ext4 without a journal (the VMs' here) allocates one by
/// scanning past every inode freed in the last minutes that the disk may not have seen freed
/// (`recently_deleted`): once commands churn, each new file took ~0.35 ms, 2.4 ms of a 13 ms
/// attach making six. A removed record renamed in here and renamed back out as a new one costs
/// two directory entries and no inode, on any file system.
///
/// A spare is named after a slot below `capacity` that its inode number hashes to (the numbers
/// of files in different block groups are alike modulo any power of two below the group size),
/// or one of the next few when that is taken: the pool never holds more files than `capacity`
/// (a removal finding its slots taken removes the file) and keeps no count. A topology of
/// 100 sandboxes is 600 records: `up -f` of it after a `down -f` took 704 ms with no spares,
/// 488 with 256 slots and 301 with 1024, which hold 4 MB at most. Only a commit
/// holding the state lock exclusively uses it, for records written in place (see
/// `Journal.Entry.apply`): what a spare held is overwritten and cut to length before the journal
/// frame that wrote it counts as applied, and a recovery writes records whole, with no spare.
final class SpareFiles {
    /// A power of two: a slot is the top bits of a hash.
    static let capacity = 1024
    /// How many slots a file may take: its own and the next ones.
    static let probes = 4

    let directory: String
    /// The spares not taken yet, listed at the first `take`.
    private var available: [String]?

    init(directory: String) {
        self.directory = directory
    }

    /// Moves a spare to `path` (whose directory exists); false when there is none to take.
    func take(to path: String) -> Bool {
        if available == nil {
            available = ((try? FileIO.list(directory)) ?? []).filter { UInt64($0) != nil }
        }
        while let name = available?.popLast() {
            if rename("\(directory)/\(name)", path) == 0 { return true }
        }
        return false
    }

    /// Moves the file at `path` into the pool, or removes it when its slots are all taken, it is
    /// no regular file or the pool cannot take it (a full disk): a removal never fails for the
    /// pool's sake. One already gone is fine.
    func retire(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw Errno(rawValue: errno) }
            return
        }
        guard status.st_mode & S_IFMT == S_IFREG else { return try FileIO.remove(path) }
        let first = Self.slot(ofInode: UInt64(status.st_ino))
        for probe in 0..<Self.probes {
            let name = String((first + probe) % Self.capacity)
            var moved = swnet_rename_noreplace(path, "\(directory)/\(name)") == 0
            if !moved && errno == ENOENT && (try? FileIO.makeDirectory(directory, mode: 0o700)) != nil {
                moved = swnet_rename_noreplace(path, "\(directory)/\(name)") == 0
            }
            if moved {
                available?.append(name)
                return
            }
            guard errno == EEXIST else { break }
        }
        try FileIO.remove(path)
    }

    /// Fibonacci hashing: the top bits of the inode number times 2^64 / φ.
    static func slot(ofInode inode: UInt64) -> Int {
        Int((inode &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.capacity.trailingZeroBitCount))
    }
}
