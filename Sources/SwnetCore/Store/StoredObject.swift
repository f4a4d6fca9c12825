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

    init(schemaVersion: Int, kind: ObjectKind, object: Object) {
        self.schemaVersion = schemaVersion
        self.kind = kind
        self.object = object
    }

    /// Reads the schema version first, so one pass both refuses a format this build does not
    /// know and decodes the ones it does.
    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: StoredEnvelopeKey.self),
              let version = try? container.decode(Int.self, forKey: .schemaVersion) else { throw StoredEnvelopeError.notARecord }
        schemaVersion = version
        guard schemaVersion == StateStore.schemaVersion else { throw StoredEnvelopeError.otherSchema(version: schemaVersion) }
        kind = try container.decode(ObjectKind.self, forKey: .kind)
        object = try container.decode(Object.self, forKey: .object)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: StoredEnvelopeKey.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(kind, forKey: .kind)
        try container.encode(object, forKey: .object)
    }
}

/// The envelope's keys, outside the generic type: a type nested in `StoredEnvelope` would be a
/// new type for each kind of record, and each would cost a command its own instantiation of the
/// JSON coders' generic containers (metadata and witness tables, built at run time on first use).
private enum StoredEnvelopeKey: String, CodingKey {
    case schemaVersion, kind, object
}

/// Why a state file is not read as a record.
enum StoredEnvelopeError: Error {
    /// JSON without a schema version: not a record at all.
    case notARecord
    /// A file another schema version wrote: refused as such, not as damaged.
    case otherSchema(version: Int)
}
