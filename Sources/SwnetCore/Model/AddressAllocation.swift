/// Which endpoint holds one address of one network: one small record per address, so that
/// handing out an address reads and writes a file or two whatever the size of the network.
struct AddressAllocation: StoredObject, Equatable {
    static let kind = ObjectKind.address

    /// "<network id>_<address>".
    var name: String
    var endpointID: String
    var endpointName: String

    var id: String { name }

    static func name(network: String, _ address: IPAddress) -> String {
        "\(network)_\(address)"
    }
}
