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
}
