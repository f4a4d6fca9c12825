/// A record kept as one JSON file in the state directory, named after the object.
public protocol StoredObject: Codable, Sendable {
    static var kind: ObjectKind { get }
    var id: String { get }
    var name: String { get }
}

/// The on-disk wrapper around every record: what it is and which schema wrote it.
struct StoredEnvelope<Object: StoredObject>: Codable {
    var schemaVersion: Int
    var kind: ObjectKind
    var object: Object

    /// A file another schema version wrote: refused as such, not as damaged.
    struct OtherSchema: Error {
        var version: Int
    }

    /// JSON without a schema version: not a record at all.
    struct NotARecord: Error {}

    private enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, object
    }

    init(schemaVersion: Int, kind: ObjectKind, object: Object) {
        self.schemaVersion = schemaVersion
        self.kind = kind
        self.object = object
    }

    /// Reads the schema version first, so one pass both refuses a format this build does not
    /// know and decodes the ones it does.
    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self),
              let version = try? container.decode(Int.self, forKey: .schemaVersion) else { throw NotARecord() }
        schemaVersion = version
        guard schemaVersion == StateStore.schemaVersion else { throw OtherSchema(version: schemaVersion) }
        kind = try container.decode(ObjectKind.self, forKey: .kind)
        object = try container.decode(Object.self, forKey: .object)
    }
}
