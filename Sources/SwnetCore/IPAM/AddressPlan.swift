/// The address part of a `network create` request, as typed.
public struct AddressRequest: Sendable, Equatable {
    public var subnets: [String] = []
    public var gateways: [String] = []
    public var ipRange: String?
    public var ipv6 = false

    public init(subnets: [String] = [], gateways: [String] = [], ipRange: String? = nil, ipv6: Bool = false) {
        self.subnets = subnets
        self.gateways = gateways
        self.ipRange = ipRange
        self.ipv6 = ipv6
    }

    var isEmpty: Bool { subnets.isEmpty && gateways.isEmpty && ipRange == nil && !ipv6 }
}

extension IPAM {
    /// Turns a request into address spaces (IPv4 first), choosing automatic subnets that
    /// overlap neither `networks` nor `hostPrefixes`.
    ///
    /// An explicit subnet overlapping another swnet network is refused, naming it; one that
    /// overlaps a host prefix is allowed (the user may know better) with a warning.
    static func plan(_ request: AddressRequest, networkName: String, networks: [NetworkRecord],
                     hostPrefixes: [Subnet], pools: [AddressPool], warn: (String) -> Void) throws(SwnetError) -> [AddressSpace] {
        var explicit: [Subnet] = []
        for text in request.subnets {
            let subnet: Subnet
            do {
                subnet = try Subnet(parsing: text)
            } catch {
                throw .invalid(error.description, hint: "fix --subnet")
            }
            if explicit.contains(where: { $0.family == subnet.family }) {
                throw .invalid("more than one \(subnet.family.rawValue) --subnet given",
                               hint: "give at most one IPv4 and one IPv6 subnet")
            }
            guard subnet.family.bitWidth - subnet.prefixLength >= 2 else {
                throw .invalid("subnet \(subnet) is too small", why: "it leaves no address for an endpoint",
                               hint: "use at most a /30 (IPv4) or /126 (IPv6)")
            }
            for network in networks {
                if let space = network.ipam.first(where: { $0.subnet.overlaps(subnet) }) {
                    throw .conflict("subnet \(subnet) overlaps network \"\(network.name)\" (\(space.subnet))",
                                    hint: "choose another --subnet")
                }
            }
            if let host = hostPrefixes.first(where: { $0.overlaps(subnet) }) {
                warn("subnet \(subnet) overlaps \(host), already in use on this host; traffic to it may be misrouted")
            }
            explicit.append(subnet)
        }
        let taken = networks.flatMap { $0.ipam.map(\.subnet) } + hostPrefixes
        var spaces: [AddressSpace] = []
        if let subnet = explicit.first(where: { $0.family == .v4 }) {
            spaces.append(AddressSpace(subnet: subnet, gateway: nil, ipRange: nil))
        } else {
            guard let subnet = chooseSubnet(from: pools, avoiding: taken) else {
                throw .conflict("no free subnet left in the address pools (\(pools.map(\.description).joined(separator: ", ")))",
                                hint: "remove unused networks, give --subnet, or add pools with SWNET_ADDRESS_POOLS")
            }
            spaces.append(AddressSpace(subnet: subnet, gateway: nil, ipRange: nil))
        }
        if let subnet = explicit.first(where: { $0.family == .v6 }) {
            spaces.append(AddressSpace(subnet: subnet, gateway: nil, ipRange: nil))
        } else if request.ipv6 {
            spaces.append(AddressSpace(subnet: randomUniqueLocalSubnet(avoiding: taken), gateway: nil, ipRange: nil))
        }

        for text in request.gateways {
            guard let gateway = IPAddress(text) else {
                throw .invalid("invalid gateway \"\(text)\"", hint: "give an IP address, e.g. 10.1.0.1")
            }
            guard let index = spaces.firstIndex(where: { $0.subnet.contains(gateway) }) else {
                throw .invalid("gateway \(gateway) is outside the network's subnets (\(spaces.map { $0.subnet.description }.joined(separator: ", ")))",
                               hint: "give a --gateway inside --subnet")
            }
            guard spaces[index].gateway == nil else {
                throw .invalid("more than one \(gateway.family.rawValue) --gateway given", hint: "give one per subnet")
            }
            guard gateway >= spaces[index].subnet.firstUsable, gateway <= spaces[index].subnet.lastUsable else {
                throw .invalid("gateway \(gateway) is the network or broadcast address of \(spaces[index].subnet)",
                               hint: "give a host address")
            }
            spaces[index].gateway = gateway
        }
        for index in spaces.indices where spaces[index].gateway == nil {
            spaces[index].gateway = spaces[index].subnet.firstUsable
        }

        if let text = request.ipRange {
            let range: Subnet
            do {
                range = try Subnet(parsing: text)
            } catch {
                throw .invalid(error.description, hint: "fix --ip-range")
            }
            guard let index = spaces.firstIndex(where: { $0.subnet.contains(range) }) else {
                throw .invalid("ip-range \(range) is not inside the network's subnets (\(spaces.map { $0.subnet.description }.joined(separator: ", ")))",
                               hint: "give an --ip-range inside --subnet")
            }
            spaces[index].ipRange = range
        }
        return spaces
    }
}
