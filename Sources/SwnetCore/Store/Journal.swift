import FoundationEssentials

/// The redo log that makes a commit of several files atomic.
///
/// A commit first writes every new file content (or removal) into `<state-dir>/journal` and
/// syncs it, then applies them, syncs what it applied, and empties the journal. A command killed
/// (or a host that lost power) in between leaves the journal full, and the next command to take
/// the state lock applies it again before anything else, so the state is never half one
/// command's work.
///
/// The journal is one file rewritten in place: a line `swnet-journal <length> <FNV-1a>`, then
/// the entries as JSON. A crash while it is being written leaves a length or hash that does not
/// match, and as nothing was applied before it was whole, such a journal is dropped. Rewriting
/// in place, rather than renaming a new file over it, makes it durable with one sync instead of
/// two (the file's and its directory's).
struct Journal: Codable {
    struct Entry: Codable {
        var path: String
        /// The new content; nil for a removal (or a link).
        var contents: Data?
        /// Permission bits for a new file.
        var mode: UInt32
        /// Set when the path becomes a symbolic link to this target.
        var linkTarget: String?
    }

    var schemaVersion = StateStore.schemaVersion
    var entries: [Entry]

    static func path(in store: StateStore) -> String { store.root + "/journal" }

    /// Writes the journal durably.
    func write(to store: StateStore) throws(SwnetError) {
        let path = Self.path(in: store)
        do {
            let json = Array(try JSONEncoder().encode(self))
            let header = "swnet-journal \(json.count) \(FNV1a.hex(json))\n"
            try FileIO.overwrite(path, Array(header.utf8) + json, durable: true)
        } catch {
            throw SwnetError(.system, "cannot write \(path)", why: "\(error)", hint: "check the disk holding --state-dir")
        }
    }

    /// Empties the journal. After a successful commit this need not be durable: should a crash
    /// bring the journal back, it holds what the files already hold, and the next commit
    /// overwrites it before changing anything. After a failed commit it must be, or the failed
    /// changes could be replayed.
    static func clear(in store: StateStore, durable: Bool) {
        try? FileIO.overwrite(path(in: store), [], durable: durable)
    }

    /// Applies a journal a killed command left, if any; returns whether there was one.
    @discardableResult
    static func replay(in store: StateStore) throws(SwnetError) -> Bool {
        let path = path(in: store)
        guard let bytes = try? FileIO.read(path), !bytes.isEmpty else { return false }
        guard let json = completeContent(of: bytes) else {
            // Cut short while being written: its commit had not begun.
            clear(in: store, durable: true)
            return false
        }
        let journal: Journal
        do {
            journal = try JSONDecoder().decode(Journal.self, from: Data(json))
        } catch {
            throw SwnetError(.system, "journal \(path) is damaged", why: "\(error)",
                             hint: "move it away; 'swnet system check' then shows what it would have changed")
        }
        var directories: [String] = []
        do {
            for entry in journal.entries {
                if entry.contents != nil || entry.linkTarget != nil, let slash = entry.path.lastIndex(of: "/") {
                    try FileIO.makeDirectory(String(entry.path[..<slash]), mode: 0o755)
                }
                if let target = entry.linkTarget {
                    try FileIO.symlinkAtomically(entry.path, to: target)
                } else if let contents = entry.contents {
                    try FileIO.writeAtomically(entry.path, Array(contents), mode: .init(rawValue: entry.mode))
                } else {
                    try FileIO.remove(entry.path)
                }
                let directory = String(entry.path[..<(entry.path.lastIndex(of: "/") ?? entry.path.endIndex)])
                if !directories.contains(directory) { directories.append(directory) }
            }
            for directory in directories { try? FileIO.syncDirectory(directory) }
        } catch {
            throw SwnetError(.system, "cannot apply journal \(path)", why: "\(error)", hint: "run swnet as root")
        }
        clear(in: store, durable: true)
        return true
    }

    /// The JSON of a journal whose header's length and hash match what follows it, else nil.
    private static func completeContent(of bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        let json = bytes[(newline + 1)...]
        guard header.count == 3, header[0] == "swnet-journal", Int(header[1]) == json.count,
              header[2] == FNV1a.hex(json) else { return nil }
        return json
    }
}
