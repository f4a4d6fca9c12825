import Glibc
import SystemPackage

/// Notes of kernel objects whose ownership no mark can carry (a namespace file), taken while a
/// command makes or removes one: should the command die before its records account for the
/// object, `swnet system gc` finds the note and removes the object (see
/// `Transaction.recordIntent`).
///
/// The notes are lines of one file, `intents/log`, after its header: `+ NAME PATH` when a note is
/// taken, `- NAME` when it goes, and the file is cut back to its header once none is left. A file
/// per note, written, renamed into place and later removed, cost each `sandbox create` and
/// `sandbox rm` an inode made and freed, and on ext4 without a journal each new inode walks past
/// every one freed in the last minutes (under strace, a `swnet down` of 100 sandboxes right
/// after another spent 0.14 s opening its notes' files, 1.4 ms each). The file is never cut to
/// nothing, which makes ext4 write it out at the next close (`auto_da_alloc`: 0.3 ms a note
/// taken and dropped, against 0.025). Nothing is synced: a note must outlive the command, not
/// the host, as no namespace survives a reboot.
///
/// Notes an earlier version left as a file each, in the same directory, are found and finished
/// by `swnet system gc` (`StateStore.notesInFiles`).
///
/// Only lines whole up to their newline count. A command killed in the middle of an append
/// can leave the start of a line at the end of the file; the next append cuts it off first,
/// so that what follows can never complete it into a note of a path that is not swnet's.
struct IntentLog {
    /// The directory holding the log (and, as earlier versions left them, a file per note).
    let directory: String

    var path: String { directory + "/log" }

    private static let header = Array("swnet-intents v1\n".utf8)
    /// Past this size, the file is written afresh with the pending notes alone (a note left by
    /// a killed command keeps it from being cut back until `swnet system gc` removes it).
    private static let compactionSize = 16 * 1024

    /// The pending notes, oldest first: the name each was taken under and the path it names.
    func notes() throws -> [(name: String, path: String)] {
        guard let bytes = try FileIO.read(path) else { return [] }
        return Self.pending(in: bytes)
    }

    /// Takes a note: `name` is about to make or remove the object at `objectPath`.
    func add(_ name: String, objectPath: String) throws {
        guard !objectPath.utf8.contains(Self.newline) else { throw Errno.invalidArgument }
        let line = Array("+ \(name) \(objectPath)\n".utf8)
        let found = try withLog { fd, size in
            var end = size
            let endsWithWholeLine = try end > 0 && FileIO.read(fd, at: end - 1, count: 1) == [Self.newline]
            if !endsWithWholeLine {
                end = try Self.cutBack(fd, to: FileIO.read(fd, at: 0, count: end))
            }
            // Not even a header: a file emptied by someone else starts again.
            let bytes = end == 0 ? Self.header + line : line
            try FileIO.write(bytes, to: fd, at: end)
        }
        if !found {
            try FileIO.makeDirectory(directory, mode: 0o700)
            try FileIO.writeAtomically(path, Self.header + line, durable: false)
        }
    }

    /// Drops the notes taken under `names`; the file goes back to its header when none is left.
    func remove(_ names: [String]) throws {
        try withLog { fd, size in
            let bytes = try FileIO.read(fd, at: 0, count: size)
            let pending = Self.pending(in: bytes)
            let dropped = Set(names)
            let remaining = pending.filter { !dropped.contains($0.name) }
            if remaining.count == pending.count { return }
            if remaining.isEmpty {
                guard ftruncate(fd.rawValue, off_t(Self.header.count)) == 0 else { throw Errno(rawValue: errno) }
            } else if bytes.count > Self.compactionSize {
                let lines = remaining.map { "+ \($0.name) \($0.path)\n" }.joined()
                try FileIO.writeAtomically(path, Self.header + Array(lines.utf8), durable: false)
            } else {
                let lines = Array(pending.filter { dropped.contains($0.name) }.map { "- \($0.name)\n" }.joined().utf8)
                let end = try Self.cutBack(fd, to: bytes)
                try FileIO.write(lines, to: fd, at: end)
            }
        }
    }

    private static let newline = UInt8(ascii: "\n")

    /// Runs `body` with the log open for reading and writing and its size; false when there is
    /// no log.
    @discardableResult
    private func withLog(_ body: (FileDescriptor, Int) throws -> Void) throws -> Bool {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readWrite, options: [.closeOnExec], retryOnInterrupt: true)
        } catch Errno.noSuchFileOrDirectory {
            return false
        }
        try fd.closeAfter {
            var status = stat()
            guard fstat(fd.rawValue, &status) == 0 else { throw Errno(rawValue: errno) }
            try body(fd, Int(status.st_size))
        }
        return true
    }

    /// Cuts the file holding `bytes` back to the end of its last whole line, if a piece of a
    /// line follows it; returns where that line ends.
    private static func cutBack(_ fd: FileDescriptor, to bytes: [UInt8]) throws -> Int {
        let end = (bytes.lastIndex(of: newline) ?? -1) + 1
        if end < bytes.count {
            guard ftruncate(fd.rawValue, off_t(end)) == 0 else { throw Errno(rawValue: errno) }
        }
        return end
    }

    /// The notes a log's lines leave pending. A line not ended by its newline was cut short and
    /// does not count; the header, and any line that is no note, count for nothing.
    private static func pending(in bytes: [UInt8]) -> [(name: String, path: String)] {
        // Each line voids the name's earlier note: its place is found, not searched for, so a
        // log of many notes is read in one pass.
        var notes: [(name: String, path: String)?] = []
        var place: [String: Int] = [:]
        for line in bytes.split(separator: newline, omittingEmptySubsequences: false).dropLast() {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2, fields[0].count == 1 else { continue }
            let name = String(decoding: fields[1], as: UTF8.self)
            if let earlier = place.removeValue(forKey: name) { notes[earlier] = nil }
            if fields[0].first == UInt8(ascii: "+"), fields.count == 3 {
                place[name] = notes.count
                notes.append((name, String(decoding: fields[2], as: UTF8.self)))
            }
        }
        return notes.compactMap { $0 }
    }
}
