/// An endpoint as stored and as `inspect` shows it.
public struct EndpointRecord: StoredObject, Equatable {
    public static let kind = ObjectKind.endpoint

    public var id: String
    public var name: String
    public var created: String
    public var networkID: String
    public var networkName: String
    public var ipv4Address: IPAddress?
    public var ipv6Address: IPAddress?
    public var macAddress: String?
    public var aliases: [String]
    /// Published ports; their firewall rules exist while the endpoint is joined.
    public var ports: [PortBinding]
    public var labels: [String: String]
    /// Made by `connect`, so `disconnect` and `sandbox rm` remove it too.
    public var createdByConnect: Bool
    /// Set while the endpoint is joined to a sandbox.
    public var sandboxID: String?
    public var sandboxName: String?
    /// The interface name inside the sandbox, while joined.
    public var interfaceName: String?

    /// The host end of the endpoint's veth, while joined: `hostInterfacePrefix` and 12 random hex
    /// digits, chosen afresh at every join and never reused: the kernel frees a veth
    /// asynchronously after its namespace goes, so a recycled name could still be taken for a while.
    public var hostInterfaceName: String?

    /// How the host end of every endpoint's veth is named, and so how `system gc` knows one a
    /// command was killed before marking.
    static let hostInterfacePrefix = "swv"

    /// The ownership mark carried by the endpoint's host interface.
    public var mark: String { "swnet:" + id }
}
