import FoundationEssentials
import Glibc
import KernelOps
import SystemPackage

/// One mutating command's unit of work: kernel steps with their undo actions, then the state and
/// sandbox files written as a batch.
///
/// On any failure, `rollback` undoes the kernel steps in reverse order and nothing is written, so
/// the state files stay byte-for-byte as they were. Reads through the transaction see its own
/// pending writes, so a command that touches one record twice (removing two endpoints of the
/// same sandbox) works on the latest version.
final class Transaction {
    let store: StateStore
    let kernel: any KernelOperations

    private enum FileChange {
        case saveRecord(any StoredObject)
        /// An id's entry in the index: the path of its record (see `StateStore.idPath`).
        case saveIndex(String)
        /// Removes a record or an index entry.
        case deleteRecord
        case write([UInt8])
        /// A file computed from the records, and how to edit the file on disk into it: see
        /// `Journal.Change.derived`.
        case derived([UInt8], patch: FilePatch?)
        case symlink(String)
        case remove
        case removeDirectory

        /// A file in the state directory that only swnet reads: a record or an index entry.
        var isRecord: Bool {
            switch self {
            case .saveRecord, .saveIndex, .deleteRecord: true
            default: false
            }
        }
    }

    private var undoStack: [(what: String, undo: () throws -> Void)] = []
    /// Steps nothing could undo, run once the state no longer mentions what they remove.
    private var finalSteps: [(point: Failpoint, what: String, note: String?, action: () throws -> Void)] = []
    /// Records already read, by path: a command looks at the same network several times, and
    /// decoding a network with a thousand allocations is not free.
    private var readCache: [String: any StoredObject] = [:]
    /// The kinds whose every record is in `readCache`: listing and decoding a thousand endpoints
    /// once per command is enough.
    private var fullyRead: Set<ObjectKind> = []
    /// Files as `load` and `fileContents` found them on disk (nil: there was none), which a
    /// commit failing halfway puts back without reading them again. No one else writes them
    /// while the state lock is held.
    private var onDisk: [String: [UInt8]?] = [:]
    /// Id index entries as found on disk (nil: none), by path: removing a sandbox looks its id up
    /// five times and its commit once more, to put the entry back should the commit fail; each
    /// read is a readlink, an open and two reads.
    private var indexRead: [String: StateStore.IndexEntry?] = [:]
    /// Pending file changes by path, applied in first-touched order.
    private var changes: [String: FileChange] = [:]
    private var order: [String] = []
    /// Notes to drop from the intent log once the commit and the final steps have happened.
    private var notesToDrop: [String] = []
    /// Networks whose joined members changed and sandboxes whose own names changed: their
    /// sandboxes' hosts files are rewritten before the commit.
    private var changedNames: (networks: Set<String>, sandboxes: [String: String]) = ([], [:])

    /// Told about every kernel step and how long it took (`--debug`).
    private let trace: ((String) -> Void)?
    private let failpoint: (Failpoint, Failpoint.Action)?

    init(store: StateStore, kernel: any KernelOperations, trace: ((String) -> Void)? = nil,
         failpoint: (Failpoint, Failpoint.Action)? = nil) {
        self.store = store
        self.kernel = kernel
        self.trace = trace
        self.failpoint = failpoint
    }

    // MARK: Kernel steps

    /// Runs one kernel step and remembers how to undo it. `what` completes "cannot …" in errors;
    /// `point` names the step for failure tests, which strike right after the action.
    func step(_ point: Failpoint, _ what: String, undo: (() throws -> Void)?, _ action: () throws -> Void) throws(SwnetError) {
        let started = ContinuousClock.now
        defer { trace?("\(what): \(ContinuousClock.now - started)") }
        do {
            try action()
        } catch let error as SwnetError {
            throw error
        } catch let error as KernelError {
            throw SwnetError.kernel(error, while: what)
        } catch {
            throw SwnetError(.system, "cannot \(what)", why: "\(error)")
        }
        if let undo { undoStack.append((what, undo)) }
        try point.trigger(failpoint)
    }

    /// Notes, right away, that the kernel object at `objectPath` is about to be made, and its
    /// ownership no mark can carry (a namespace file): if the command is killed before its
    /// commit, `swnet system gc` finds the note and removes the object (see `IntentLog`). The
    /// rollback drops the note, and so does a command that goes through, after its final steps.
    func recordIntent(_ name: String, _ objectPath: String) throws(SwnetError) {
        try takeNote(name, objectPath)
        dropIntents([name])
    }

    /// Drops notes from the intent log once the commit and the final steps have happened.
    func dropIntents(_ names: [String]) {
        notesToDrop += names
    }

    private func takeNote(_ name: String, _ objectPath: String) throws(SwnetError) {
        let log = store.intentLog
        do {
            try log.add(name, objectPath: objectPath)
        } catch {
            throw SwnetError(.system, "cannot write \(log.path)", why: "\(error)", hint: "check the disk holding --state-dir")
        }
        undoStack.append(("drop the note \(name) from \(log.path)", { try log.remove([name]) }))
    }

    /// Queues a step that cannot be undone (destroying a namespace) to run after the commit, so
    /// a failure before it leaves the kernel untouched. If it fails, the state is already right
    /// and the leftover is reported: `swnet system gc` removes it. With `intent`, a note of the
    /// object the step removes is taken right away (see `recordIntent`) and dropped only once the
    /// step has done its work, so that a command dying before then leaves `gc` the job.
    func finally(_ point: Failpoint, _ what: String, intent: (name: String, objectPath: String)? = nil,
                 _ action: @escaping () throws -> Void) throws(SwnetError) {
        if let intent { try takeNote(intent.name, intent.objectPath) }
        finalSteps.append((point, what, intent?.name, action))
    }

    /// Runs the queued final steps; returns a warning per failure. Then drops, with one rewrite
    /// of the log, the notes of the commit and of the steps done (`down` of 100 sandboxes read
    /// and parsed the log 100 times when each step dropped its own). A command dying before that
    /// leaves notes on objects its records account for or that are gone, which `swnet system gc`
    /// recognises as stale.
    func runFinalSteps() -> [String] {
        var warnings: [String] = []
        var done = notesToDrop
        for (point, what, note, action) in finalSteps {
            do {
                // Before the action: what needs testing is a death between commit and cleanup.
                try point.trigger(failpoint)
                try action()
                if let note { done.append(note) }
            } catch {
                warnings.append("could not \(what) (\(error)); run 'swnet system gc' to remove the leftover")
            }
        }
        finalSteps.removeAll()
        notesToDrop.removeAll()
        if !done.isEmpty {
            let log = store.intentLog
            do {
                try log.remove(done)
            } catch {
                warnings.append("could not drop \(done.count) note(s) from \(log.path) (\(error)); run 'swnet system gc' to drop them")
            }
        }
        return warnings
    }

    /// Undoes every kernel step taken so far, newest first. Undo failures are reported, not
    /// thrown: the original error is what the user needs to see.
    func rollback(report: (String) -> Void) {
        for (what, undo) in undoStack.reversed() {
            do {
                try undo()
            } catch {
                report("could not undo \"\(what)\": \(error); run 'swnet system gc'")
            }
        }
        undoStack.removeAll()
        finalSteps.removeAll()
        notesToDrop.removeAll()
        changes.removeAll()
        order.removeAll()
        changedNames = ([], [:])
    }

    // MARK: Records

    func load<Object: StoredObject>(_ type: Object.Type, named name: String) throws(SwnetError) -> Object? {
        let path = store.path(of: Object.kind, name: name)
        switch changes[path] {
        case .saveRecord(let object)?: return object as? Object
        case .deleteRecord?: return nil
        default:
            if let cached = readCache[path] as? Object { return cached }
            let found = try store.read(type, named: name)
            readCache[path] = found?.object
            onDisk[path] = found?.bytes
            return found?.object
        }
    }

    func loadAll<Object: StoredObject>(_ type: Object.Type) throws(SwnetError) -> [Object] {
        let directory = store.directory(of: Object.kind) + "/"
        if !fullyRead.contains(Object.kind) {
            for object in try store.loadAll(type) where readCache[store.path(of: Object.kind, name: object.name)] == nil {
                readCache[store.path(of: Object.kind, name: object.name)] = object
            }
            fullyRead.insert(Object.kind)
        }
        var byName: [String: Object] = [:]
        for (path, object) in readCache where path.hasPrefix(directory) {
            if let object = object as? Object { byName[object.name] = object }
        }
        for path in order where path.hasPrefix(directory) {
            switch changes[path] {
            case .saveRecord(let object)?:
                if let object = object as? Object { byName[object.name] = object }
            case .deleteRecord?:
                let name = String(path.dropFirst(directory.count).dropLast(5))
                byName[name] = nil
            default: break
            }
        }
        return byName.keys.sorted().compactMap { byName[$0] }
    }

    /// The records of one kind whose names start with `prefix`, as this transaction leaves them,
    /// sorted by name: the directory's listing, then only those records read.
    func loadAll<Object: StoredObject>(_ type: Object.Type, namesStartingWith prefix: String) throws(SwnetError) -> [Object] {
        let directory = store.directory(of: Object.kind)
        var names = Set(try store.names(of: Object.kind).filter { $0.hasPrefix(prefix) })
        for path in order where path.hasPrefix(directory + "/" + prefix) {
            names.insert(String(path.dropFirst(directory.count + 1).dropLast(5)))
        }
        var objects: [Object] = []
        for name in names.sorted() {
            if let object = try load(type, named: name) { objects.append(object) }
        }
        return objects
    }

    /// A record by its full id through the id index (as this transaction leaves it), or nil when
    /// the index does not know it.
    func load<Object: StoredObject>(_ type: Object.Type, id: String) throws(SwnetError) -> Object? {
        let target: String?
        switch changes[store.idPath(id)] {
        case .saveIndex(let pending)?: target = pending
        case .deleteRecord?: return nil
        default:
            let path = store.idPath(id)
            if let found = indexRead[path] {
                target = found?.target
            } else {
                let found = store.indexEntry(id)
                indexRead[path] = found
                target = found?.target
            }
        }
        guard let name = target.flatMap({ store.indexedName(of: Object.kind, target: $0) }),
              let object = try load(type, named: name), object.id == id else { return nil }
        return object
    }

    func save<Object: StoredObject>(_ object: Object) {
        let path = store.path(of: Object.kind, name: object.name)
        // A record read from disk has its index entry already; a new one gets it.
        if ObjectKind.userVisible.contains(Object.kind) && readCache[path] == nil {
            record(store.idPath(object.id), .saveIndex(Object.kind.directoryName + "/" + object.name + ".json"))
        }
        record(path, .saveRecord(object))
    }

    func delete<Object: StoredObject>(_ object: Object) {
        if ObjectKind.userVisible.contains(Object.kind) { record(store.idPath(object.id), .deleteRecord) }
        record(store.path(of: Object.kind, name: object.name), .deleteRecord)
    }

    // MARK: Other files (a sandbox's hosts and resolv.conf)

    /// Notes that an endpoint of `network` joined or left `sandbox`, that the sandbox's own names
    /// changed (no network), or that the network went (no sandbox): their name tables and hosts
    /// files are brought up to date before the commit.
    func namesChanged(network: String?, sandbox: SandboxRecord?) {
        if let network { changedNames.networks.insert(network) }
        if let sandbox { changedNames.sandboxes[sandbox.id] = sandbox.name }
    }

    /// The network ids and sandboxes (id to name) noted by `namesChanged`, forgetting them.
    func takeChangedNames() -> (networks: Set<String>, sandboxes: [String: String]) {
        defer { changedNames = ([], [:]) }
        return changedNames
    }

    func writeFile(_ path: String, _ contents: String) {
        record(path, .write(Array(contents.utf8)))
    }

    /// Writes a file whose content follows from the records (a name table, a composed hosts
    /// file): the journal holds its path alone, and recovery computes it again. A `patch` (made
    /// from the file as on disk) edits it in place; one made from a content this transaction
    /// had already changed could not apply, and goes.
    func writeDerivedFile(_ path: String, bytes: [UInt8], patch: FilePatch? = nil) {
        record(path, .derived(bytes, patch: changes[path] == nil ? patch : nil))
    }

    /// Makes `path` a symbolic link to `target` at commit.
    func writeSymlink(_ path: String, to target: String) {
        record(path, .symlink(target))
    }

    /// A file's content as this transaction will leave it: its pending write, nil for a pending
    /// removal, else what is on disk.
    func fileContents(_ path: String) -> [UInt8]? {
        switch changes[path] {
        case .write(let bytes)?, .derived(let bytes, _)?: return bytes
        case .remove?, .symlink?: return nil
        default:
            if let bytes = onDisk[path] { return bytes }
            let bytes = (try? FileIO.read(path)) ?? nil
            onDisk[path] = bytes
            return bytes
        }
    }

    func removeFile(_ path: String) { record(path, .remove) }

    func removeDirectory(_ path: String) { record(path, .removeDirectory) }

    private func record(_ path: String, _ change: FileChange) {
        if changes[path] == nil { order.append(path) }
        changes[path] = change
    }

    // MARK: Commit

    /// Writes every pending change, through `journal`. If one fails, the ones already written are
    /// put back as they were and the error is thrown (the caller then rolls back the kernel steps).
    func commit(through journal: Journal) throws(SwnetError) {
        var appended: Journal.Appended?
        var applied: [(entry: Journal.Entry, before: [UInt8]?, link: String?, patched: Bool)] = []
        let spares = store.spares
        do throws(SwnetError) {
            try Failpoint.beforeCommit.trigger(failpoint)
            let entries = try self.entries()
            appended = try journal.append(entries)
            for entry in entries {
                let isRecord = changes[entry.path]?.isRecord == true
                let link: String?
                let before: [UInt8]?
                if let found = indexRead[entry.path] {
                    (link, before) = switch found {
                    case .link(let target)?: (target, nil)
                    case .file(let bytes)?: (nil, bytes)
                    case nil: (nil, nil)
                    }
                } else {
                    // A record is never a symbolic link (an index entry an earlier swnet made is).
                    link = isRecord && !entry.path.hasPrefix(store.idPath("")) ? nil : FileIO.linkTarget(entry.path)
                    before = link == nil && entry.change != .removeDirectory
                        ? onDisk[entry.path] ?? ((try? FileIO.read(entry.path)) ?? nil) : nil
                }
                do {
                    // Not synced: the journal holds them until its next checkpoint syncs them.
                    let patched = try entry.apply(durable: false, exclusive: true, spares: isRecord ? spares : nil)
                    applied.append((entry, before, link, patched))
                } catch {
                    applied.append((entry, before, link, false))
                    throw SwnetError(.system, "cannot write \(entry.path)", why: "\(error)", hint: "check free space and permissions")
                }
                if applied.count == 1 { try Failpoint.duringCommit.trigger(failpoint) }
            }
            if let appended { try journal.markApplied(appended) }
        } catch {
            // Put back durably: the journal will not, as the failed frame is voided.
            for (entry, before, link, patched) in applied.reversed() {
                let path = entry.path
                if patched, case .derived(_, _, let patch?) = entry.change {
                    // Back in place: the processes reading the file keep reading it.
                    try? patch.undo(at: path)
                } else if entry.change == .removeDirectory {
                    try? FileIO.makeDirectory(path, mode: 0o755)
                } else if let link {
                    try? FileIO.symlinkAtomically(path, to: link)
                } else if let before {
                    try? FileIO.writeAtomically(path, before)
                } else {
                    try? FileIO.remove(path)
                }
                try? FileIO.sync(FileIO.parent(path))
            }
            if let appended { journal.void(appended) }
            throw error
        }
        undoStack.removeAll()
        onDisk.removeAll()
        indexRead.removeAll()
        changes.removeAll()
        order.removeAll()
    }

    /// Writes the pending changes without a journal frame, each synced, leaving alone what the
    /// disk already has. For the derived files a recovery computes again: they must be on disk
    /// before the frames naming them count as applied.
    func writeThrough() throws(SwnetError) {
        for entry in try entries() {
            switch entry.change {
            case .write(let bytes, _), .derived(let bytes?, _, _):
                if FileIO.linkTarget(entry.path) == nil, ((try? FileIO.read(entry.path)) ?? nil) == bytes { continue }
            case .link(let target):
                if FileIO.linkTarget(entry.path) == target { continue }
            case .remove:
                if FileIO.linkTarget(entry.path) == nil && access(entry.path, F_OK) != 0 { continue }
            case .record, .derived(nil, _, _), .removeDirectory:
                break
            }
            do {
                try entry.apply(durable: true, exclusive: false)
                try FileIO.sync(FileIO.parent(entry.path))
            } catch {
                throw SwnetError(.system, "cannot write \(entry.path)", why: "\(error)", hint: "check free space and permissions")
            }
        }
        changes.removeAll()
        order.removeAll()
    }

    /// The files written besides records (hosts, resolv.conf) are read by every program in the
    /// sandbox.
    private static let sandboxFileMode: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]

    /// Every file this commit writes or removes, with the new content; directories to remove
    /// last, once the files in them are gone.
    private func entries() throws(SwnetError) -> [Journal.Entry] {
        var entries: [Journal.Entry] = []
        var directories: [Journal.Entry] = []
        for path in order {
            switch changes[path] {
            case .saveRecord(let object)?:
                entries.append(.init(path: path, change: .record(try store.encode(object))))
            case .saveIndex(let target)?:
                entries.append(.init(path: path, change: .record(Array(target.utf8))))
            case .write(let bytes)?:
                entries.append(.init(path: path, change: .write(bytes, mode: Self.sandboxFileMode.rawValue)))
            case .derived(let bytes, let patch)?:
                entries.append(.init(path: path, change: .derived(bytes, mode: Self.sandboxFileMode.rawValue, patch: patch)))
            case .symlink(let target)?:
                entries.append(.init(path: path, change: .link(target)))
            case .deleteRecord?, .remove?:
                entries.append(.init(path: path, change: .remove))
            case .removeDirectory?:
                directories.append(.init(path: path, change: .removeDirectory))
            case nil:
                continue
            }
        }
        return entries + directories
    }
}
