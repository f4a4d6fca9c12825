import FoundationEssentials
import SystemPackage

/// The state directory: one JSON file per object, `<kind>s/<name>.json`.
///
/// One file per object keeps every command's reads to the objects it touches (one big file costs
/// every invocation ~6 ms per 1000 records), and naming files after objects makes a lookup by
/// name one `open`. Commits write them through the `Journal`; the whole directory is guarded by
/// `StateLock`.
public struct StateStore: Sendable {
    /// The version of the file format this build writes and reads.
    public static let schemaVersion = 1

    public let root: String

    public init(root: String) {
        self.root = root
    }

    func directory(of kind: ObjectKind) -> String { "\(root)/\(kind.directoryName)" }

    /// Notes of kernel objects in the making or in the removing (see `Transaction.recordIntent`).
    var intentLog: IntentLog { IntentLog(directory: "\(root)/intents") }

    func path(of kind: ObjectKind, name: String) -> String { "\(directory(of: kind))/\(name).json" }

    /// Where an object's id points at its record: a file `ids/<id>` holding
    /// `<kind directory>/<name>.json`, so a record named by id (as sandboxes name their
    /// endpoints) is found without reading every record of its kind. A file, not the symbolic
    /// link earlier versions made (still read): a removed one becomes a spare (`spares`).
    func idPath(_ id: String) -> String { "\(root)/ids/\(id)" }

    /// An id's index entry as found on disk.
    enum IndexEntry: Equatable {
        /// The symbolic link an earlier version made, with its target.
        case link(String)
        /// The file this version makes, with its content.
        case file([UInt8])

        /// The record path it gives ("sandboxes/web.json").
        var target: String {
            switch self {
            case .link(let target): target
            case .file(let bytes): String(decoding: bytes, as: UTF8.self)
            }
        }
    }

    /// The index entry for `id`, or nil when it has none.
    func indexEntry(_ id: String) -> IndexEntry? {
        let path = idPath(id)
        if let target = FileIO.linkTarget(path) { return .link(target) }
        return ((try? FileIO.read(path, limit: 512)) ?? nil).map(IndexEntry.file)
    }

    /// Removed records kept to be made into new ones.
    var spares: SpareFiles { SpareFiles(directory: "\(root)/spare") }

    /// The record name an index entry's target names, when it is a record of `kind`.
    func indexedName(of kind: ObjectKind, target: String) -> String? {
        guard target.hasPrefix(kind.directoryName + "/"), target.hasSuffix(".json") else { return nil }
        return String(target.dropFirst(kind.directoryName.count + 1).dropLast(5))
    }

    /// Creates the state directory (0700: records hold every address and namespace on the host)
    /// and its subdirectories.
    func prepare() throws(SwnetError) {
        do {
            try FileIO.makeDirectory(root, mode: 0o700)
            for kind in ObjectKind.allCases {
                try FileIO.makeDirectory(directory(of: kind), mode: 0o700)
            }
        } catch {
            throw SwnetError(.system, "cannot create state directory \(root)", why: "\(error)",
                             hint: "check --state-dir (or SWNET_STATE_DIR) and run as root")
        }
    }

    /// The record named `name`, or nil.
    func load<Object: StoredObject>(_ type: Object.Type, named name: String) throws(SwnetError) -> Object? {
        try read(type, named: name)?.object
    }

    /// The record named `name` and the file it was decoded from, or nil when there is none.
    func read<Object: StoredObject>(_ type: Object.Type, named name: String) throws(SwnetError)
        -> (object: Object, bytes: [UInt8])? {
        let path = path(of: Object.kind, name: name)
        let bytes: [UInt8]?
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw SwnetError(.system, "cannot read state file \(path)", why: "\(error)", hint: "run as root")
        }
        guard let bytes else { return nil }
        return (try decode(type, from: bytes, path: path), bytes)
    }

    /// The names of the records of one kind, from the directory's listing alone, unsorted.
    func names(of kind: ObjectKind) throws(SwnetError) -> [String] {
        do {
            return try FileIO.list(directory(of: kind)).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        } catch {
            throw SwnetError(.system, "cannot list \(directory(of: kind))", why: "\(error)", hint: "run as root")
        }
    }

    /// Every record of one kind, sorted by name.
    func loadAll<Object: StoredObject>(_ type: Object.Type) throws(SwnetError) -> [Object] {
        var objects: [Object] = []
        for name in try names(of: Object.kind).sorted() {
            if let object = try load(type, named: name) { objects.append(object) }
        }
        return objects
    }

    /// Every readable record of one kind; damaged ones are skipped (see `damagedFiles`).
    func loadReadable<Object: StoredObject>(_ type: Object.Type) -> [Object] {
        let names = (try? FileIO.list(directory(of: Object.kind))) ?? []
        return names.sorted().filter { $0.hasSuffix(".json") }.compactMap { try? load(type, named: String($0.dropLast(5))) }
    }

    /// Record files that cannot be read, with why.
    func damagedFiles() -> [(path: String, why: String)] {
        var damaged: [(String, String)] = []
        func scan<Object: StoredObject>(_ type: Object.Type) {
            for file in ((try? FileIO.list(directory(of: Object.kind))) ?? []).sorted() where file.hasSuffix(".json") {
                do {
                    _ = try load(type, named: String(file.dropLast(5)))
                } catch {
                    damaged.append(("\(directory(of: Object.kind))/\(file)", error.why ?? error.what))
                }
            }
        }
        scan(NetworkRecord.self)
        scan(EndpointRecord.self)
        scan(SandboxRecord.self)
        scan(PortReservation.self)
        scan(AddressAllocation.self)
        return damaged
    }

    /// Temporary files left by writers that died before renaming them.
    func temporaryFiles() -> [String] {
        (ObjectKind.allCases.map { directory(of: $0) } + [root + "/ids", root + "/hosts", intentLog.directory]).flatMap { directory in
            ((try? FileIO.list(directory)) ?? []).filter { $0.contains(".tmp.") }.map { "\(directory)/\($0)" }
        }
    }

    /// Notes an earlier version left as a file each in the log's directory, should one have
    /// died while one was pending: (the note's file, the namespace path it names).
    func notesInFiles() -> [(file: String, path: String)] {
        let directory = intentLog.directory
        return ((try? FileIO.list(directory)) ?? []).sorted().filter { $0.hasPrefix("netns-") && !$0.contains(".tmp.") }.compactMap { name in
            guard let bytes = try? FileIO.read("\(directory)/\(name)") else { return nil }
            return ("\(directory)/\(name)", String(decoding: bytes, as: UTF8.self))
        }
    }

    func encode<Object: StoredObject>(_ object: Object) throws(SwnetError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            let envelope = StoredEnvelope(schemaVersion: Self.schemaVersion, kind: Object.kind, object: object)
            return Array(try encoder.encode(envelope)) + [0x0a]
        } catch {
            throw SwnetError(.system, "cannot encode \(Object.kind.rawValue) \"\(object.name)\"", why: "\(error)")
        }
    }

    private func decode<Object: StoredObject>(_ type: Object.Type, from bytes: [UInt8], path: String) throws(SwnetError) -> Object {
        let damaged = { (why: String) in
            SwnetError(.system, "state file \(path) is damaged", why: why,
                       hint: "move it away (swnet will not overwrite it) or restore it from a backup")
        }
        do {
            return try JSONDecoder().decode(StoredEnvelope<Object>.self, from: Data(bytes)).object
        } catch StoredEnvelopeError.otherSchema(let version) {
            throw SwnetError(.system, "state file \(path) has schema version \(version)",
                             why: "this swnet reads version \(Self.schemaVersion)",
                             hint: "use the swnet release that wrote it")
        } catch StoredEnvelopeError.notARecord {
            throw damaged("not a swnet state file")
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw damaged("not a swnet state file")
        } catch {
            throw damaged("\(error)")
        }
    }
}
