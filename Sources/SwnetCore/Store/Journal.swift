import FoundationEssentials

/// The redo log that makes a commit of several files atomic.
///
/// A commit first writes every new file content (or removal) into `<state-dir>/journal.json`,
/// durably, then applies them one by one, then deletes the journal. A command killed in between
/// leaves the journal behind, and the next command to take the state lock applies it again
/// before anything else, so the state is never half one command's work.
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

    static func path(in store: StateStore) -> String { store.root + "/journal.json" }

    /// Writes the journal durably.
    func write(to store: StateStore) throws(SwnetError) {
        let path = Self.path(in: store)
        do {
            try FileIO.writeAtomically(path, Array(try JSONEncoder().encode(self)))
            try FileIO.syncDirectory(store.root)
        } catch {
            throw SwnetError(.system, "cannot write \(path)", why: "\(error)", hint: "check the disk holding --state-dir")
        }
    }

    /// Deletes the journal. After a successful commit the deletion need not be durable
    /// (`durable: false` saves a directory sync per command): should a crash bring the journal
    /// back, it holds exactly what the files hold, and every later commit replaces it first. After
    /// a failed commit it must be, or the failed changes could be replayed.
    static func remove(from store: StateStore, durable: Bool) {
        try? FileIO.remove(path(in: store))
        if durable { try? FileIO.syncDirectory(store.root) }
    }

    /// Applies a journal a killed command left, if any; returns whether there was one.
    @discardableResult
    static func replay(in store: StateStore) throws(SwnetError) -> Bool {
        let path = path(in: store)
        guard let bytes = try? FileIO.read(path) else { return false }
        let journal: Journal
        do {
            journal = try JSONDecoder().decode(Journal.self, from: Data(bytes))
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
        remove(from: store, durable: true)
        return true
    }
}
