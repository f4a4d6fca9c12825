/// Who holds one host port of one protocol. Kept as its own record so that "is this port
/// published already?" is one file read, not a scan of every endpoint on the host.
struct PortReservation: StoredObject, Equatable {
    static let kind = ObjectKind.port

    struct Holder: Codable, Sendable, Equatable {
        var hostIP: IPAddress?
        var endpointID: String
        var endpointName: String
    }

    /// "tcp-8080".
    var name: String
    var holders: [Holder]

    var id: String { name }

    static func name(_ transport: TransportProtocol, _ port: UInt16) -> String {
        "\(transport.rawValue)-\(port)"
    }
}
