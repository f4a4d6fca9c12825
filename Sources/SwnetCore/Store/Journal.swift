import Glibc
import SystemPackage

/// The write-ahead log that makes each commit atomic and durable with one data sync.
///
/// A commit appends its changes (every new file content, link or removal) to
/// `<state-dir>/journal` as one frame, syncs that, and only then applies them, without syncing
/// what it applies. The files are synced at a checkpoint instead: when the journal is full,
/// every file its frames touched is synced and the frames are dropped. So one command costs one
/// sync where syncing each record and directory it wrote cost one per file, and a crash still
/// loses nothing:
/// - a command killed between appending and applying leaves a frame past the applied end; the
///   next command to take the state lock applies it first;
/// - after a reboot (or a power loss) the writes since the checkpoint may not have reached the
///   disk; the first command of the new boot applies every frame since, then checkpoints.
///
/// The file starts with a header of `headerSize` bytes, `swnet-journal v2 <boot id> <first> <next>
/// <end> <FNV-1a>`: the boot the frames belong to, the sequence number of the first frame since
/// the checkpoint, that of the next frame to write, and the offset it goes at. Only the boot and
/// the first number must be durable: they change at checkpoints, which sync the header; the
/// other two move with every commit, unsynced, as they only matter within one boot. A frame is
/// a line `swnet-frame <sequence> <length> <FNV-1a>` and `<length>` bytes of entries, each a
/// line `<w|s|l|r|d|n> <mode> <path length> <content length>` then the path and the content (a
/// link's target), raw. A frame a crash cut short fails its hash; one from before a checkpoint
/// (the file is rewritten in place, never truncated) has a sequence number already passed.
///
/// A derived file (`n`: a network's name table, a hosts file composed from them) is named in
/// its frame without its content: it follows from the records, so recovery computes it again
/// from them (`recover`'s `rederive`) instead of the commit syncing a copy. At a thousand members
/// a name table is ~170 KB, which was nearly all of a join's frame and a sixth of its time.
struct Journal {
    enum Change: Equatable {
        /// Replace the file with this content and permission bits, atomically: programs other
        /// than swnet read it at any time (a sandbox's hosts file).
        case write([UInt8], mode: UInt32)
        /// Replace a state record with this content. Only swnet reads records, and only under the
        /// state lock, so a command holding it exclusively writes them in place (see `apply`).
        case record([UInt8])
        /// Make the path a symbolic link to this target.
        case link(String)
        case remove
        /// Remove the directory if it is empty (a sandbox's files' directory, after its files).
        case removeDirectory
        /// Replace the file, atomically like `write`, with content computed from the records;
        /// nil when read back from a frame, which holds the path alone. With a patch, a commit
        /// edits the file in place instead, when it is still the one the patch was made from.
        case derived([UInt8]?, mode: UInt32, patch: FilePatch? = nil)
    }

    struct Entry: Equatable {
        var path: String
        var change: Change
    }

    /// A frame written and synced, not yet marked applied.
    struct Appended {
        fileprivate var offset: Int
        /// The header once the frame is applied.
        fileprivate var applied: Header
    }

    fileprivate struct Header: Equatable {
        var boot: String
        var first: UInt64
        var next: UInt64
        var end: Int
    }

    static let headerSize = 128
    /// The permission bits of state records.
    static let recordMode: UInt32 = 0o600

    let path: String
    /// Bytes of frames after which the next commit checkpoints first. What a reboot replays is at
    /// most this much.
    let capacity: Int
    /// The boot this process runs in (tests pretend to be in another).
    let boot: String

    init(in store: StateStore, capacity: Int = 4 << 20, boot: String = Journal.currentBoot()) {
        path = store.root + "/journal"
        self.capacity = capacity
        self.boot = boot
    }

    // MARK: Commit

    /// Writes `entries` as the next frame and syncs it; the caller applies them, then calls
    /// `markApplied`, or `void` if it cannot.
    func append(_ entries: [Entry]) throws(SwnetError) -> Appended {
        try withFile(creating: true) { (fd) throws in
            var header = try readHeader(fd) ?? initialize(fd)
            let (head, body) = Self.frame(entries, sequence: header.next)
            let size = head.count + body.count
            if header.end > Self.headerSize && header.end + size > capacity {
                header = try checkpoint(fd, header)
            }
            do {
                try Self.reserve(upTo: header.end + size, in: fd)
                try FileIO.writeSynced(head, body, to: fd, at: header.end)
            } catch {
                // Its commit fails: whatever of it reached the file must never be applied.
                try? Self.void(at: header.end, in: fd)
                throw error
            }
            var applied = header
            applied.next += 1
            applied.end += size
            return Appended(offset: header.end, applied: applied)
        }
    }

    /// How much the file grows by when a frame would pass its end.
    static let growth = 256 << 10

    /// Makes the file at least `size` bytes long, by `growth` bytes of zeros at a time. A frame
    /// then overwrites bytes the file has: syncing it syncs its data alone, where a frame that
    /// lengthens the file makes every sync write the inode too (0.40 ms against 0.27 here). A
    /// growth's size is synced with the frame that needed it, which cannot be read back without
    /// it; the zeros past the frame are no frame, synced or not.
    private static func reserve(upTo size: Int, in fd: FileDescriptor) throws {
        let current = Int(try fd.seek(offset: 0, from: .end))
        guard size > current else { return }
        let zeros = [UInt8](repeating: 0, count: (size + growth - 1) / growth * growth - current)
        try FileIO.write(zeros, to: fd, at: current)
    }

    /// Moves the applied end past a frame whose changes are all on disk. Not synced: after a
    /// reboot every frame since the checkpoint is applied again anyway.
    func markApplied(_ appended: Appended) throws(SwnetError) {
        try withFile(otherwise: ()) { (fd) throws in try writeHeader(appended.applied, to: fd, durable: false) }
    }

    /// Makes sure a frame whose commit failed (and was undone) is never applied: its first byte
    /// is overwritten and synced, which fails its hash. The next frame is written in its place.
    func void(_ appended: Appended) {
        try? withFile(otherwise: ()) { (fd) throws in try Self.void(at: appended.offset, in: fd) }
    }

    private static func void(at offset: Int, in fd: FileDescriptor) throws {
        try FileIO.writeSynced([UInt8(ascii: "x")], to: fd, at: offset)
    }

    // MARK: Recovery

    /// Applies what a crash left unapplied: every frame since the checkpoint when the journal
    /// belongs to another boot (then checkpoints), else a frame a killed command appended but
    /// did not mark applied. When any of them names a derived file, `rederive` writes the derived
    /// files again from the records the frames left, before the frames count as applied.
    /// Returns whether there was anything.
    @discardableResult
    func recover(exclusive: Bool, rederive: () throws(SwnetError) -> Void) throws(SwnetError) -> Bool {
        try withFile(otherwise: false) { (fd) throws -> Bool in
            guard var header = try readHeader(fd) else { return false }
            func apply(_ frames: [(size: Int, entries: [Entry])]) throws {
                var derived = false
                for entry in frames.flatMap(\.entries) {
                    if case .derived = entry.change { derived = true } else { try entry.apply(durable: false, exclusive: exclusive) }
                }
                if derived { try rederive() }
            }
            if header.boot != boot {
                let frames = try Self.frames(in: fd, from: header.first, at: Self.headerSize)
                try apply(frames)
                header.next = header.first + UInt64(frames.count)
                header.end = Self.headerSize + frames.reduce(0) { $0 + $1.size }
                _ = try checkpoint(fd, header, frames: frames)
                return !frames.isEmpty
            }
            let pending = try Self.frames(in: fd, from: header.next, at: header.end)
            guard !pending.isEmpty else { return false }
            try apply(pending)
            header.next += UInt64(pending.count)
            header.end += pending.reduce(0) { $0 + $1.size }
            try writeHeader(header, to: fd, durable: false)
            return true
        }
    }

    /// Syncs every file and directory the frames since the last checkpoint touched, then
    /// starts afresh past them, durably; returns the new header.
    private func checkpoint(_ fd: FileDescriptor, _ header: Header,
                            frames known: [(size: Int, entries: [Entry])]? = nil) throws -> Header {
        let frames = try known ?? Self.frames(in: fd, from: header.first, at: Self.headerSize)
        // Any path once written (it may have been removed, then written again), and every
        // directory an entry renamed or removed something in.
        var files: [String] = []
        var directories: [String] = []
        var seenFiles: Set<String> = []
        var seenDirectories: Set<String> = []
        for entry in frames.flatMap(\.entries) {
            switch entry.change {
            case .write, .record, .derived:
                if seenFiles.insert(entry.path).inserted { files.append(entry.path) }
            case .link, .remove, .removeDirectory:
                break
            }
            let directory = FileIO.parent(entry.path)
            if seenDirectories.insert(directory).inserted { directories.append(directory) }
        }
        // A file or directory a later frame removed is gone: nothing to sync.
        for path in files + directories {
            do { try FileIO.sync(path) } catch Errno.noSuchFileOrDirectory {}
        }
        let fresh = Header(boot: boot, first: header.next, next: header.next, end: Self.headerSize)
        try writeHeader(fresh, to: fd, durable: true)
        return fresh
    }

    // MARK: Format

    private static let magic = "swnet-journal v2 "

    private func initialize(_ fd: FileDescriptor) throws -> Header {
        let header = Header(boot: boot, first: 1, next: 1, end: Self.headerSize)
        try writeHeader(header, to: fd, durable: true)
        try FileIO.sync(FileIO.parent(path))
        return header
    }

    private func writeHeader(_ header: Header, to fd: FileDescriptor, durable: Bool) throws {
        let fields = "\(Self.magic)\(header.boot) \(header.first) \(header.next) \(header.end)"
        var line = Array("\(fields) \(FNV1a.hex(fields.utf8))".utf8)
        line += [UInt8](repeating: UInt8(ascii: " "), count: max(0, Self.headerSize - 1 - line.count)) + [UInt8(ascii: "\n")]
        try FileIO.write(line, to: fd, at: 0)
        if durable {
            guard fdatasync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
        }
    }

    /// The header (that of a fresh journal when an older swnet wrote the file), or nil for an
    /// empty file; throws when it is damaged.
    private func readHeader(_ fd: FileDescriptor) throws -> Header? {
        let bytes = try FileIO.read(fd, at: 0, count: Self.headerSize)
        guard !bytes.isEmpty else { return nil }
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard line.hasPrefix(Self.magic) else { return try convertFirstJournal(fd) }
        // Padded with spaces, which splitting drops. The hash covers the line up to the space
        // before it, as `writeHeader` wrote it. Split as bytes: splitting the string walks it by
        // grapheme, ~55,000 instructions for these 128 bytes, which every commit reads twice.
        let fields = line.utf8.split(separator: UInt8(ascii: " ")).map(Substring.init)
        guard fields.count == 7, FNV1a.hex(line.utf8[..<fields[6].startIndex].dropLast()) == fields[6],
              let first = UInt64(fields[3]), let next = UInt64(fields[4]), let end = Int(fields[5]),
              next >= first, end >= Self.headerSize else {
            throw SwnetError(.system, "journal \(path) is damaged", why: "its header does not parse or fails its hash",
                             hint: "move it away; 'swnet system check' then shows what it would have changed")
        }
        return Header(boot: String(fields[2]), first: first, next: next, end: end)
    }

    /// The first swnet kept one commit's redo journal, `swnet-journal <length> <FNV-1a>` and
    /// its entries, and synced files as it applied them: a whole one is applied so, and the file
    /// starts afresh.
    private func convertFirstJournal(_ fd: FileDescriptor) throws -> Header {
        let bytes = try FileIO.read(fd, at: 0, count: Int(fd.seek(offset: 0, from: .end)))
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            let fields = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
            if fields.count == 3, fields[0] == "swnet-journal", let length = Int(fields[1]), length >= 0,
               bytes.count - (newline + 1) >= length {
                let body = bytes[(newline + 1)..<(newline + 1 + length)]
                if fields[2] == FNV1a.hex(body), let entries = Self.decode(body) {
                    for entry in entries {
                        try entry.apply(durable: true, exclusive: false)
                        try? FileIO.sync(FileIO.parent(entry.path))
                    }
                }
            }
        }
        return try initialize(fd)
    }

    /// A frame's line and its body.
    private static func frame(_ entries: [Entry], sequence: UInt64) -> (head: [UInt8], body: [UInt8]) {
        let body = encode(entries)
        return (Array("swnet-frame \(sequence) \(body.count) \(hash(body, sequence: sequence))\n".utf8), body)
    }

    /// The frames from `offset` on, numbered from `sequence`, up to the first that is not whole
    /// or not the next in turn. Each is read on its own: a file that once held longer frames
    /// keeps them past the end, and the common case, no frame pending, reads one line.
    private static func frames(in fd: FileDescriptor, from sequence: UInt64, at offset: Int) throws
        -> [(size: Int, entries: [Entry])] {
        var frames: [(size: Int, entries: [Entry])] = []
        var offset = offset
        while true {
            let expected = sequence + UInt64(frames.count)
            let head = try FileIO.read(fd, at: offset, count: 96)
            guard let newline = head.firstIndex(of: UInt8(ascii: "\n")) else { break }
            let fields = String(decoding: head[..<newline], as: UTF8.self).split(separator: " ")
            guard fields.count == 4, fields[0] == "swnet-frame", fields[1] == Substring(String(expected)),
                  let length = Int(fields[2]), length >= 0 else { break }
            let body = try FileIO.read(fd, at: offset + newline + 1, count: length)
            guard body.count == length, fields[3] == hash(body, sequence: expected),
                  let entries = decode(body[...]) else { break }
            frames.append((newline + 1 + length, entries))
            offset += newline + 1 + length
        }
        return frames
    }

    /// A frame's hash covers its sequence number too: a frame left from before a checkpoint,
    /// whole but stale, fails it.
    private static func hash(_ body: [UInt8], sequence: UInt64) -> String {
        FNV1a.hex(body, continuing: FNV1a.hash("\(sequence)\n".utf8))
    }

    private static func encode(_ entries: [Entry]) -> [UInt8] {
        let parts = entries.map { entry -> (head: [UInt8], path: String.UTF8View, payload: [UInt8]) in
            let (kind, mode, payload): (String, UInt32, [UInt8])
            switch entry.change {
            case .write(let contents, let bits): (kind, mode, payload) = ("w", bits, contents)
            case .record(let contents): (kind, mode, payload) = ("s", Journal.recordMode, contents)
            case .link(let target): (kind, mode, payload) = ("l", 0, Array(target.utf8))
            case .remove: (kind, mode, payload) = ("r", 0, [])
            case .removeDirectory: (kind, mode, payload) = ("d", 0, [])
            case .derived(_, let bits, _): (kind, mode, payload) = ("n", bits, [])
            }
            let path = entry.path.utf8
            return (Array("\(kind) \(mode) \(path.count) \(payload.count)\n".utf8), path, payload)
        }
        // Sized first: a frame carrying a name table is ~170 KB, and an array doubling its way
        // there copies it into fresh pages at every step.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.head.count + $1.path.count + $1.payload.count })
        for part in parts {
            bytes += part.head
            bytes += part.path
            bytes += part.payload
        }
        return bytes
    }

    /// The entries of a frame's body, or nil when it does not parse.
    private static func decode(_ body: ArraySlice<UInt8>) -> [Entry]? {
        var entries: [Entry] = []
        var index = body.startIndex
        while index < body.endIndex {
            guard let newline = body[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let fields = body[index..<newline].split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 4, let mode = UInt32(fields[1]), let pathLength = Int(fields[2]),
                  let payloadLength = Int(fields[3]), pathLength >= 0, payloadLength >= 0,
                  body.endIndex - (newline + 1) >= pathLength + payloadLength else { return nil }
            let pathEnd = newline + 1 + pathLength
            let path = String(decoding: body[(newline + 1)..<pathEnd], as: UTF8.self)
            let payload = Array(body[pathEnd..<(pathEnd + payloadLength)])
            switch fields[0] {
            case "w": entries.append(Entry(path: path, change: .write(payload, mode: mode)))
            case "s": entries.append(Entry(path: path, change: .record(payload)))
            case "l": entries.append(Entry(path: path, change: .link(String(decoding: payload, as: UTF8.self))))
            case "r": entries.append(Entry(path: path, change: .remove))
            case "d": entries.append(Entry(path: path, change: .removeDirectory))
            case "n": entries.append(Entry(path: path, change: .derived(nil, mode: mode)))
            default: return nil
            }
            index = pathEnd + payloadLength
        }
        return entries
    }

    // MARK: File

    /// This boot's id: writes the disk has not got by a reboot are lost, and only then.
    static func currentBoot() -> String {
        let bytes = (try? FileIO.read("/proc/sys/kernel/random/boot_id", limit: 64)) ?? nil
        let boot = String(decoding: (bytes ?? []).filter { $0 > 32 && $0 < 127 }, as: UTF8.self)
        // Without one, every command counts as the first of a boot: slower, never wrong.
        return boot.isEmpty ? "unknown-\(getpid())" : boot
    }

    /// Runs `body` on the journal file, opened (created when `creating`); `missing`, if given,
    /// is the answer when there is none.
    private func withFile<T>(creating: Bool = false, otherwise missing: T? = nil,
                             _ body: (FileDescriptor) throws -> T) throws(SwnetError) -> T {
        do {
            let fd: FileDescriptor
            do {
                fd = try FileDescriptor.open(FilePath(path), .readWrite, options: creating ? [.create, .closeOnExec] : [.closeOnExec],
                                             permissions: [.ownerReadWrite], retryOnInterrupt: true)
            } catch Errno.noSuchFileOrDirectory {
                guard let missing else { throw Errno.noSuchFileOrDirectory }
                return missing
            }
            return try fd.closeAfter { try body(fd) }
        } catch let error as SwnetError {
            throw error
        } catch {
            throw SwnetError(.system, "cannot use the journal \(path)", why: "\(error)", hint: "check the disk holding --state-dir")
        }
    }
}

extension Journal.Entry {
    /// Makes the change on disk; synced when `durable`. `exclusive` says the caller holds the
    /// state lock exclusively: no reader can see a record half written then, so records are
    /// overwritten in place rather than replaced by a new file. A replacement costs a new inode
    /// and frees the old one, and ext4 without a journal scans past every inode freed in the last
    /// seconds to allocate one: 0.3-0.5 ms a file here once commands churn. A crash in the middle
    /// of an overwrite is what the journal repairs, like any other unapplied write. Readers
    /// finishing a killed command's commit under the shared lock replace files whole, as other
    /// readers may be reading them.
    ///
    /// With `spares` (a record's entry, applied holding the lock exclusively), a new record is
    /// made of a spare file and a removed one becomes a spare (see `SpareFiles`).
    ///
    /// Returns whether it patched a derived file in place (see `FilePatch`), which only a
    /// command holding the lock does.
    @discardableResult
    func apply(durable: Bool, exclusive: Bool, spares: SpareFiles? = nil) throws -> Bool {
        switch change {
        case .write(let contents, let mode):
            try replace(with: contents, mode: mode, durable: durable)
        case .derived(let contents?, let mode, let patch):
            if let patch, exclusive, try patch.apply(to: path) { return true }
            try replace(with: contents, mode: mode, durable: durable)
        case .derived(nil, _, _):
            // Read back from a frame: `recover` has the content computed again.
            break
        case .record(let contents):
            try FileIO.makeDirectory(FileIO.parent(path), mode: 0o755)
            if exclusive {
                try FileIO.overwrite(path, contents, mode: .init(rawValue: Journal.recordMode), durable: durable, spares: spares)
            } else {
                try FileIO.writeAtomically(path, contents, mode: .init(rawValue: Journal.recordMode), durable: durable)
            }
        case .link(let target):
            try FileIO.makeDirectory(FileIO.parent(path), mode: 0o755)
            try FileIO.symlinkAtomically(path, to: target)
        case .remove:
            if let spares { try spares.retire(path) } else { try FileIO.remove(path) }
        case .removeDirectory:
            guard rmdir(path) == 0 || errno == ENOENT || errno == ENOTEMPTY else { throw Errno(rawValue: errno) }
        }
        return false
    }

    private func replace(with contents: [UInt8], mode: UInt32, durable: Bool) throws {
        try FileIO.makeDirectory(FileIO.parent(path), mode: 0o755)
        try FileIO.writeAtomically(path, contents, mode: .init(rawValue: mode), durable: durable)
    }
}
