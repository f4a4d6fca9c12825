/// A network as stored and as `inspect` shows it.
public struct NetworkRecord: StoredObject, Equatable {
    public static let kind = ObjectKind.network

    public var id: String
    public var name: String
    public var driver: String
    /// Creation time, ISO 8601.
    public var created: String
    /// The bridge device, for bridge networks.
    public var bridgeName: String?
    public var mtu: UInt32?
    public var ipv6: Bool
    /// An internal network has no route out of it.
    public var `internal`: Bool
    /// Driver options, under their short names (`icc`, `masquerade`, …).
    public var options: [String: String]
    public var labels: [String: String]
    /// One address space per subnet, IPv4 first.
    public var ipam: [AddressSpace]

    public func addressSpace(for family: IPAddress.Family) -> AddressSpace? {
        ipam.first { $0.subnet.family == family }
    }
}

/// One subnet of a network and the addresses handed out from it.
public struct AddressSpace: Codable, Sendable, Equatable {
    public var subnet: Subnet
    public var gateway: IPAddress?
    /// Where automatic addresses come from; the whole subnet when nil.
    public var ipRange: Subnet?
    /// How many addresses endpoints hold. Who holds which is kept in one small record per
    /// address (`AddressAllocation`), so a network's record does not grow with its endpoints.
    public var allocatedCount: Int
    /// The last automatic address handed out: the next search starts after it, so a just-freed
    /// address is not reused while peers may still cache its old MAC.
    public var lastAllocated: IPAddress?

    public init(subnet: Subnet, gateway: IPAddress?, ipRange: Subnet?) {
        self.subnet = subnet
        self.gateway = gateway
        self.ipRange = ipRange
        self.allocatedCount = 0
        self.lastAllocated = nil
    }

    /// The gateway in CIDR form, as the bridge carries it ("10.1.0.1/24").
    public var gatewayCIDR: String? {
        gateway.map { "\($0)/\(subnet.prefixLength)" }
    }
}
