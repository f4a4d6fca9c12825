import Glibc
import SystemPackage

/// The redo log that makes a commit of several files atomic.
///
/// A commit first writes every new file content (or removal) into `<state-dir>/journal` and
/// syncs it, then applies them, syncs what it applied, and empties the journal. A command killed
/// (or a host that lost power) in between leaves the journal full, and the next command to take
/// the state lock applies it again before anything else, so the state is never half one
/// command's work.
///
/// The journal is one file rewritten in place: a line `swnet-journal <length> <FNV-1a>`, then
/// `<length>` bytes of entries, each a line `<w|l|r|d> <mode> <path length> <content length>`
/// followed by the path and the content (a link's target), raw; whatever follows is left from a
/// longer journal and ignored. An empty journal has length 0. A crash while it is being written
/// leaves a length or hash that does not match, and as nothing was applied before it was whole,
/// such a journal is dropped. Rewriting in place, rather than renaming a new file over it, makes
/// it durable with one data sync instead of two syncs (the file's and its directory's); raw
/// contents, rather than JSON, spare encoding every record a second time.
struct Journal {
    enum Change: Equatable {
        /// Replace the file with this content and permission bits.
        case write([UInt8], mode: UInt32)
        /// Make the path a symbolic link to this target.
        case link(String)
        case remove
        /// Remove the directory if it is empty (a sandbox's files' directory, after its files).
        case removeDirectory
    }

    struct Entry: Equatable {
        var path: String
        var change: Change
    }

    var entries: [Entry]

    static func path(in store: StateStore) -> String { store.root + "/journal" }

    /// Writes the journal durably.
    func write(to store: StateStore) throws(SwnetError) {
        let path = Self.path(in: store)
        do {
            try FileIO.overwrite(path, Self.framed(encoded()), durable: true)
        } catch {
            throw SwnetError(.system, "cannot write \(path)", why: "\(error)", hint: "check the disk holding --state-dir")
        }
    }

    private static func framed(_ body: [UInt8]) -> [UInt8] {
        Array("swnet-journal \(body.count) \(FNV1a.hex(body))\n".utf8) + body
    }

    private func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            let (kind, mode, payload): (String, UInt32, [UInt8])
            switch entry.change {
            case .write(let contents, let bits): (kind, mode, payload) = ("w", bits, contents)
            case .link(let target): (kind, mode, payload) = ("l", 0, Array(target.utf8))
            case .remove: (kind, mode, payload) = ("r", 0, [])
            case .removeDirectory: (kind, mode, payload) = ("d", 0, [])
            }
            let path = Array(entry.path.utf8)
            bytes += Array("\(kind) \(mode) \(path.count) \(payload.count)\n".utf8)
            bytes += path
            bytes += payload
        }
        return bytes
    }

    /// The entries of a journal body, or nil when it does not parse.
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
            case "l": entries.append(Entry(path: path, change: .link(String(decoding: payload, as: UTF8.self))))
            case "r": entries.append(Entry(path: path, change: .remove))
            case "d": entries.append(Entry(path: path, change: .removeDirectory))
            default: return nil
            }
            index = pathEnd + payloadLength
        }
        return entries
    }

    /// Empties the journal. After a successful commit this need not be durable: should a crash
    /// bring the journal back, it holds what the files already hold, and the next commit
    /// overwrites it before changing anything. After a failed commit it must be, or the failed
    /// changes could be replayed.
    static func clear(in store: StateStore, durable: Bool) {
        try? FileIO.overwrite(path(in: store), framed([]), durable: durable)
    }

    /// Applies a journal a killed command left, if any; returns whether there was one.
    @discardableResult
    static func replay(in store: StateStore) throws(SwnetError) -> Bool {
        let path = path(in: store)
        // The file keeps the size of the longest journal written: an empty one (the common case)
        // is told by its header alone.
        let empty = framed([])
        guard let head = try? FileIO.read(path, limit: empty.count), !head.isEmpty, head != empty,
              let bytes = try? FileIO.read(path) else { return false }
        guard let body = completeContent(of: bytes) else {
            // Cut short while being written: its commit had not begun.
            clear(in: store, durable: true)
            return false
        }
        guard !body.isEmpty else { return false }
        guard let entries = decode(body) else {
            throw SwnetError(.system, "journal \(path) is damaged", why: "its entries do not parse although its hash matches",
                             hint: "move it away; 'swnet system check' then shows what it would have changed")
        }
        var directories: [String] = []
        do {
            for entry in entries {
                try entry.apply(durable: true)
                let directory = FileIO.parent(entry.path)
                if !directories.contains(directory) { directories.append(directory) }
            }
            for directory in directories { try? FileIO.sync(directory) }
        } catch {
            throw SwnetError(.system, "cannot apply journal \(path)", why: "\(error)", hint: "run swnet as root")
        }
        clear(in: store, durable: true)
        return true
    }

    /// The body of a journal whose header's length and hash match what follows it, else nil.
    private static func completeContent(of bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 3, header[0] == "swnet-journal", let length = Int(header[1]), length >= 0,
              bytes.count - (newline + 1) >= length else { return nil }
        let body = bytes[(newline + 1)..<(newline + 1 + length)]
        return header[2] == FNV1a.hex(body) ? body : nil
    }
}

extension Journal.Entry {
    /// Makes the change on disk, atomically; synced when `durable`.
    func apply(durable: Bool) throws {
        switch change {
        case .write(let contents, let mode):
            try FileIO.makeDirectory(FileIO.parent(path), mode: 0o755)
            try FileIO.writeAtomically(path, contents, mode: .init(rawValue: mode), durable: durable)
        case .link(let target):
            try FileIO.makeDirectory(FileIO.parent(path), mode: 0o755)
            try FileIO.symlinkAtomically(path, to: target)
        case .remove:
            try FileIO.remove(path)
        case .removeDirectory:
            guard rmdir(path) == 0 || errno == ENOENT || errno == ENOTEMPTY else { throw Errno(rawValue: errno) }
        }
    }
}
