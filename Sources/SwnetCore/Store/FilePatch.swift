import Glibc
import SystemPackage

/// An edit made in place to a file that other programs read while it changes: a network's name
/// table, which `ip netns exec` and `swnet exec` bind over /etc/hosts. A bind mount holds the
/// file it was made on, so a file replaced by a rename is never seen by the processes already
/// running in the sandbox; one edited in place is.
///
/// No reader sees half a line: new lines are appended switched off (their first byte `#`, which
/// makes them comments), and lines are switched on and off by writing their first byte alone,
/// which a reader sees whole or not at all.
struct FilePatch: Equatable {
    /// One line's first byte, with the byte it replaces (to undo it).
    struct Switch: Equatable {
        let offset: Int
        let byte: UInt8
        let previous: UInt8
    }

    /// The file's size when the patch was made: it applies to that file only.
    let baseSize: Int
    /// The bytes added at `baseSize`, their lines switched off.
    let appended: [UInt8]
    /// Written after `appended`, in order.
    let switches: [Switch]

    /// Writes the patch into the file at `path`; false, writing nothing, when the file is not
    /// the one it was made for (not `baseSize` bytes long).
    func apply(to path: String) throws -> Bool {
        let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec], retryOnInterrupt: true)
        return try fd.closeAfter {
            var status = stat()
            guard fstat(fd.rawValue, &status) == 0 else { throw Errno(rawValue: errno) }
            guard Int(status.st_size) == baseSize else { return false }
            try FileIO.write(appended, to: fd, at: baseSize)
            for change in switches { try FileIO.write([change.byte], to: fd, at: change.offset) }
            return true
        }
    }

    /// Takes an applied patch back out, durably (a failed commit voids its journal frame): the
    /// switches undone, newest first, then the appended bytes cut off.
    func undo(at path: String) throws {
        let fd = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec], retryOnInterrupt: true)
        try fd.closeAfter {
            for change in switches.reversed() where change.offset < baseSize {
                try FileIO.write([change.previous], to: fd, at: change.offset)
            }
            guard ftruncate(fd.rawValue, off_t(baseSize)) == 0, fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
        }
    }
}
