/// Everything `endpoint create` accepts besides the network and name.
public struct EndpointOptions: Sendable {
    public var ipv4Address: String?
    public var ipv6Address: String?
    public var macAddress: String?
    public var aliases: [String] = []
    public var labels: [String: String] = [:]
    /// `--publish` requests: `[HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]`.
    public var publish: [String] = []

    public init(ipv4Address: String? = nil, ipv6Address: String? = nil, macAddress: String? = nil) {
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
        self.macAddress = macAddress
    }
}

/// Keys of `Endpoint.driverInfo()`, spelled as libnetwork's `netlabel` package spells them.
public enum NetLabel {
    public static let macAddress = "com.docker.network.endpoint.macaddress"
    public static let ipv4Address = "com.docker.network.endpoint.ipv4address"
    public static let ipv6Address = "com.docker.network.endpoint.ipv6address"
    public static let hostInterface = "com.docker.network.endpoint.hostinterface"
}

/// An endpoint (libnetwork's `Endpoint`): a snapshot of its record and the operations on it.
public struct Endpoint {
    public let controller: Controller
    public let record: EndpointRecord

    public var name: String { record.name }
    public var id: String { record.id }

    /// Places the endpoint in a sandbox (libnetwork's `Join`).
    public func join(_ sandbox: Sandbox, interfaceName: String? = nil) throws(SwnetError) {
        try controller.join(endpoint: id, sandbox: sandbox.id, interfaceName: interfaceName)
    }

    /// Takes the endpoint out of its sandbox (libnetwork's `Leave`).
    public func leave() throws(SwnetError) {
        try controller.leave(endpoint: id)
    }

    public func delete(force: Bool = false) throws(SwnetError) {
        try controller.deleteEndpoint(id, force: force)
    }

    /// Driver-level facts about the endpoint, keyed by `NetLabel`.
    public func driverInfo() throws(SwnetError) -> [String: String] {
        let current = try controller.endpointRecord(id)
        var info: [String: String] = [:]
        info[NetLabel.macAddress] = current.macAddress
        info[NetLabel.ipv4Address] = current.ipv4Address?.description
        info[NetLabel.ipv6Address] = current.ipv6Address?.description
        info[NetLabel.hostInterface] = current.hostInterfaceName
        return info
    }
}

extension EndpointRecord {
    /// How this endpoint differs from what `options` ask for on `network`; only the settings
    /// given are compared.
    func differences(network: NetworkRecord, options: EndpointOptions) throws(SwnetError) -> [String] {
        var found: [String] = []
        if networkID != network.id { found.append("network \(networkName), not \(network.name)") }
        for (text, current, flag) in [(options.ipv4Address, ipv4Address, "--ip"), (options.ipv6Address, ipv6Address, "--ip6")] {
            if let text, IPAddress(text) != current { found.append("\(flag) \(current?.description ?? "(none)"), not \(text)") }
        }
        if let text = options.macAddress, (try? MACAddress.parse(text)) != macAddress {
            found.append("MAC \(macAddress ?? "(none)"), not \(text)")
        }
        if !options.aliases.isEmpty && options.aliases != aliases {
            found.append("aliases \(aliases.joined(separator: ",")), not \(options.aliases.joined(separator: ","))")
        }
        var unmatched = ports
        for text in options.publish {
            let request = try PublishRequest(parsing: text)
            for (offset, port) in request.containerPorts.enumerated() {
                let hostPort = request.hostPorts.map { $0.lowerBound + UInt16(offset) }
                guard let index = unmatched.firstIndex(where: {
                    $0.containerPort == port && $0.transport == request.transport && $0.hostIP == request.hostIP
                        && (hostPort == nil || $0.hostPort == hostPort)
                }) else {
                    found.append("no published port matching \(text)")
                    break
                }
                unmatched.remove(at: index)
            }
        }
        if !options.publish.isEmpty && !unmatched.isEmpty {
            found.append("also publishes \(unmatched.map(\.description).joined(separator: ","))")
        }
        for (key, value) in options.labels.sorted(by: { $0.key < $1.key }) where labels[key] != value {
            found.append("label \(key)=\(labels[key] ?? "(none)"), not \(value)")
        }
        return found
    }
}

extension Controller {
    /// Creates an endpoint on a network: its addresses and MAC are reserved now, its interface
    /// appears when it joins a sandbox.
    public func newEndpoint(network: String, name: String, options: EndpointOptions = EndpointOptions()) throws(SwnetError) -> Endpoint {
        let record = try mutate { (transaction) throws(SwnetError) -> EndpointRecord in
            let networkRecord = try find(NetworkRecord.self, network, in: transaction)
            return try createEndpoint(name: name, on: networkRecord, options: options, byConnect: false, in: transaction)
        }
        return Endpoint(controller: self, record: record)
    }

    /// Creates an endpoint unless one of that name exists on `network` with every setting given
    /// (`endpoint create --ignore`); one that differs is a conflict naming the difference.
    /// Returns the endpoint and whether it was created.
    public func ensureEndpoint(network: String, name: String,
                               options: EndpointOptions = EndpointOptions()) throws(SwnetError) -> (endpoint: Endpoint, created: Bool) {
        let (record, created) = try mutate { (transaction) throws(SwnetError) -> (EndpointRecord, Bool) in
            let networkRecord = try find(NetworkRecord.self, network, in: transaction)
            guard let existing = try transaction.load(EndpointRecord.self, named: name) else {
                return (try createEndpoint(name: name, on: networkRecord, options: options, byConnect: false, in: transaction), true)
            }
            let differences = try existing.differences(network: networkRecord, options: options)
            if !differences.isEmpty {
                throw .conflict("endpoint \"\(name)\" exists with another configuration",
                                why: differences.joined(separator: "; "), hint: "remove it first, or change the request to match")
            }
            return (existing, false)
        }
        return (Endpoint(controller: self, record: record), created)
    }

    public func endpoint(_ reference: String) throws(SwnetError) -> Endpoint {
        Endpoint(controller: self, record: try endpointRecord(reference))
    }

    func endpointRecord(_ reference: String) throws(SwnetError) -> EndpointRecord {
        try read { (transaction) throws(SwnetError) in try find(EndpointRecord.self, reference, in: transaction) }
    }

    /// Every endpoint, by name; only those of one network when `network` is given.
    public func endpoints(network: String? = nil) throws(SwnetError) -> [EndpointRecord] {
        try read { (transaction) throws(SwnetError) -> [EndpointRecord] in
            let all = try transaction.loadAll(EndpointRecord.self)
            guard let network else { return all }
            let id = try find(NetworkRecord.self, network, in: transaction).id
            return all.filter { $0.networkID == id }
        }
    }

    /// Removes an endpoint; a joined one only with `force`, which makes it leave first.
    public func deleteEndpoint(_ reference: String, force: Bool = false) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            let endpoint = try find(EndpointRecord.self, reference, in: transaction)
            if let sandbox = endpoint.sandboxName, !force {
                throw .conflict("endpoint \"\(endpoint.name)\" is joined to sandbox \"\(sandbox)\"",
                                hint: "run 'swnet leave \(endpoint.name)' first, or use --force")
            }
            try removeEndpoint(endpoint, in: transaction)
        }
    }

    /// Joins an endpoint to a sandbox.
    public func join(endpoint: String, sandbox: String, interfaceName: String? = nil) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            let endpointRecord = try find(EndpointRecord.self, endpoint, in: transaction)
            let sandboxRecord = try find(SandboxRecord.self, sandbox, in: transaction)
            try join(endpointRecord, to: sandboxRecord, interfaceName: interfaceName, in: transaction)
        }
    }

    /// Takes an endpoint out of its sandbox.
    public func leave(endpoint: String) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            let endpointRecord = try find(EndpointRecord.self, endpoint, in: transaction)
            guard endpointRecord.sandboxID != nil else {
                throw .conflict("endpoint \"\(endpointRecord.name)\" is not joined to a sandbox")
            }
            try leave(endpointRecord, in: transaction)
        }
    }

    /// Creates an endpoint on `network` and joins it to `sandbox` in one step. The endpoint is
    /// named `<sandbox>.<network>` unless `endpointName` is given.
    @discardableResult
    public func connect(network: String, sandbox: String, endpointName: String? = nil,
                        options: EndpointOptions = EndpointOptions(), interfaceName: String? = nil) throws(SwnetError) -> Endpoint {
        let record = try mutate { (transaction) throws(SwnetError) -> EndpointRecord in
            let networkRecord = try find(NetworkRecord.self, network, in: transaction)
            let sandboxRecord = try find(SandboxRecord.self, sandbox, in: transaction)
            return try connect(networkRecord, sandboxRecord, endpointName: endpointName, options: options,
                               interfaceName: interfaceName, in: transaction)
        }
        return Endpoint(controller: self, record: record)
    }

    func connect(_ network: NetworkRecord, _ sandbox: SandboxRecord, endpointName: String?, options: EndpointOptions,
                 interfaceName: String?, in transaction: Transaction) throws(SwnetError) -> EndpointRecord {
        try checkNotOnNetwork(sandbox, network, in: transaction)
        var name = endpointName ?? "\(sandbox.name).\(network.name)"
        if endpointName == nil && name.utf8.count > Identifiers.maximumNameLength {
            name = "ep-" + Identifiers.newID().prefix(12)
        }
        let endpoint = try createEndpoint(name: name, on: network, options: options, byConnect: true, in: transaction)
        return try join(endpoint, to: sandbox, interfaceName: interfaceName, in: transaction)
    }

    /// Undoes `connect`: the sandbox leaves its endpoint on `network`, which is removed.
    public func disconnect(network: String, sandbox: String) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            let networkRecord = try find(NetworkRecord.self, network, in: transaction)
            let sandboxRecord = try find(SandboxRecord.self, sandbox, in: transaction)
            var joined: [EndpointRecord] = []
            for id in sandboxRecord.endpoints {
                if let endpoint = try? find(EndpointRecord.self, id, in: transaction) { joined.append(endpoint) }
            }
            guard let endpoint = joined.first(where: { $0.networkID == networkRecord.id }) else {
                throw SwnetError(.notFound, "sandbox \"\(sandboxRecord.name)\" is not on network \"\(networkRecord.name)\"",
                                 hint: "see 'swnet sandbox inspect \(sandboxRecord.name)'")
            }
            try removeEndpoint(endpoint, in: transaction)
        }
    }

    // MARK: Steps shared by the commands above

    func createEndpoint(name: String, on network: NetworkRecord, options: EndpointOptions, byConnect: Bool,
                        in transaction: Transaction) throws(SwnetError) -> EndpointRecord {
        try Identifiers.validateName(name, of: .endpoint)
        for alias in options.aliases { try Identifiers.validateName(alias, of: .endpoint) }
        try Labels.validate(options.labels)
        var publishRequests: [PublishRequest] = []
        for text in options.publish {
            publishRequests.append(try PublishRequest(parsing: text))
        }
        if try transaction.load(EndpointRecord.self, named: name) != nil {
            throw .conflict("endpoint \"\(name)\" already exists", hint: "endpoint names are unique on the host; choose another")
        }
        let driver = try NetworkDrivers.named(network.driver)
        var networkRecord = network
        var endpoint = EndpointRecord(
            id: Identifiers.newID(), name: name, created: Controller.now(), networkID: network.id,
            networkName: network.name, ipv4Address: nil, ipv6Address: nil, macAddress: nil,
            aliases: options.aliases, ports: [], labels: options.labels, createdByConnect: byConnect,
            sandboxID: nil, sandboxName: nil, interfaceName: nil, hostInterfaceName: nil)
        guard driver.usesIPAM else {
            if options.ipv4Address != nil || options.ipv6Address != nil || options.macAddress != nil || !publishRequests.isEmpty {
                throw .invalid("network \"\(network.name)\" (driver \(network.driver)) gives endpoints no interface",
                               hint: "drop --ip, --ip6, --mac and --publish")
            }
            transaction.save(endpoint)
            return endpoint
        }
        let holder = { (address: IPAddress) throws(SwnetError) -> String? in
            try transaction.load(AddressAllocation.self, named: AddressAllocation.name(network: network.id, address))?.endpointName
        }
        for (text, family, flag) in [(options.ipv4Address, IPAddress.Family.v4, "--ip"), (options.ipv6Address, .v6, "--ip6")] {
            var requested: IPAddress?
            if let text {
                guard let address = IPAddress(text), address.family == family else {
                    throw .invalid("invalid \(flag) \"\(text)\"", hint: "give an \(family.rawValue) address")
                }
                requested = address
            }
            guard let index = networkRecord.ipam.firstIndex(where: { $0.subnet.family == family }) else {
                if requested != nil {
                    throw .invalid("network \"\(network.name)\" has no \(family.rawValue) subnet", hint: "drop \(flag)")
                }
                continue
            }
            let address = try IPAM.allocate(requested, in: &networkRecord.ipam[index], networkName: network.name, holder: holder)
            transaction.save(AddressAllocation(name: AddressAllocation.name(network: network.id, address),
                                               endpointID: endpoint.id, endpointName: name))
            if family == .v4 { endpoint.ipv4Address = address } else { endpoint.ipv6Address = address }
        }
        if let mac = options.macAddress {
            endpoint.macAddress = try MACAddress.parse(mac)
        } else {
            endpoint.macAddress = endpoint.ipv4Address.map(MACAddress.derived) ?? MACAddress.random()
        }
        endpoint.ports = try reservePorts(publishRequests, for: endpoint, on: networkRecord, in: transaction)
        transaction.save(networkRecord)
        transaction.save(endpoint)
        return endpoint
    }

    /// Removes an endpoint: leaves its sandbox if joined (and removes it from a sandbox being
    /// kept), returns its addresses.
    func removeEndpoint(_ endpoint: EndpointRecord, namespaceGoing: Bool = false, in transaction: Transaction) throws(SwnetError) {
        var current = endpoint
        if current.sandboxID != nil {
            current = try leave(current, namespaceGoing: namespaceGoing, in: transaction)
        }
        var network = try find(NetworkRecord.self, current.networkID, in: transaction)
        for index in network.ipam.indices {
            for address in [current.ipv4Address, current.ipv6Address].compactMap({ $0 })
            where network.ipam[index].subnet.contains(address) {
                IPAM.release(address, in: &network.ipam[index])
                transaction.delete(AddressAllocation(name: AddressAllocation.name(network: network.id, address),
                                                     endpointID: current.id, endpointName: current.name))
            }
        }
        transaction.save(network)
        try releasePorts(of: current, in: transaction)
        transaction.delete(current)
    }

    private func checkNotOnNetwork(_ sandbox: SandboxRecord, _ network: NetworkRecord, in transaction: Transaction) throws(SwnetError) {
        if let other = members(of: sandbox, in: transaction).first(where: { $0.networkID == network.id }) {
            throw .conflict("sandbox \"\(sandbox.name)\" is already on network \"\(network.name)\"",
                            why: "through endpoint \"\(other.name)\"", hint: "a sandbox joins each network once")
        }
    }

    /// The endpoints joined to `sandbox`; one whose record cannot be read is left out.
    func members(of sandbox: SandboxRecord, in transaction: Transaction) -> [EndpointRecord] {
        sandbox.endpoints.compactMap { try? find(EndpointRecord.self, $0, in: transaction) }
    }

    @discardableResult
    func join(_ endpoint: EndpointRecord, to sandbox: SandboxRecord, interfaceName: String?,
              in transaction: Transaction) throws(SwnetError) -> EndpointRecord {
        if let current = endpoint.sandboxName {
            throw .conflict("endpoint \"\(endpoint.name)\" is already joined to sandbox \"\(current)\"",
                            hint: "run 'swnet leave \(endpoint.name)' first")
        }
        try checkNotOnNetwork(sandbox, try find(NetworkRecord.self, endpoint.networkID, in: transaction), in: transaction)
        let network = try find(NetworkRecord.self, endpoint.networkID, in: transaction)
        let members = members(of: sandbox, in: transaction)
        let usedNames = Set(members.compactMap(\.interfaceName) + ["lo"])
        var joined = endpoint
        if let interfaceName {
            try InterfaceName.validate(interfaceName, what: "interface name")
            guard !usedNames.contains(interfaceName) else {
                throw .conflict("sandbox \"\(sandbox.name)\" already has an interface \(interfaceName)",
                                hint: "choose another --ifname")
            }
            joined.interfaceName = interfaceName
        } else {
            joined.interfaceName = (0...).lazy.map { "eth\($0)" }.first { !usedNames.contains($0) }
        }
        // Not String + Substring, which appends through unspecialized generic code (see
        // `concatenated(separator:)`).
        joined.hostInterfaceName = EndpointRecord.hostInterfacePrefix + String(Identifiers.newID().prefix(12))
        let providesGateway = try gatewayProvider(of: members, in: transaction) == nil && hasGateway(network)
        try NetworkDrivers.named(network.driver).join(joined, network: network, sandbox: sandbox,
                                                     providesGateway: providesGateway, in: transaction)
        joined.sandboxID = sandbox.id
        joined.sandboxName = sandbox.name
        var updated = sandbox
        updated.endpoints.append(joined.id)
        transaction.save(joined)
        transaction.save(updated)
        transaction.namesChanged(network: network.id, sandbox: updated)
        return joined
    }

    /// Takes a joined endpoint out of its sandbox; when it carried the sandbox's default routes,
    /// the next endpoint with a gateway takes them over. With `namespaceGoing` (the sandbox is
    /// being removed), the interfaces are left to die with the namespace. Returns the updated
    /// endpoint.
    @discardableResult
    func leave(_ endpoint: EndpointRecord, namespaceGoing: Bool = false, in transaction: Transaction) throws(SwnetError) -> EndpointRecord {
        guard let sandboxID = endpoint.sandboxID else { return endpoint }
        let network = try find(NetworkRecord.self, endpoint.networkID, in: transaction)
        var sandbox = try find(SandboxRecord.self, sandboxID, in: transaction)
        let members = members(of: sandbox, in: transaction)
        let wasProvider = try gatewayProvider(of: members, in: transaction)?.id == endpoint.id
        try NetworkDrivers.named(network.driver).leave(endpoint, network: network, sandbox: sandbox, providesGateway: wasProvider,
                                                      namespaceGoing: namespaceGoing, in: transaction)
        let remaining = members.filter { $0.id != endpoint.id }
        if wasProvider && !namespaceGoing, let successor = try gatewayProvider(of: remaining, in: transaction) {
            let successorNetwork = try find(NetworkRecord.self, successor.networkID, in: transaction)
            try NetworkDrivers.named(successorNetwork.driver).takeOverGateway(successor, network: successorNetwork,
                                                                             sandbox: sandbox, in: transaction)
        }
        var left = endpoint
        left.sandboxID = nil
        left.sandboxName = nil
        left.interfaceName = nil
        left.hostInterfaceName = nil
        sandbox.endpoints.removeAll { $0 == endpoint.id }
        transaction.save(left)
        transaction.save(sandbox)
        transaction.namesChanged(network: network.id, sandbox: sandbox)
        return left
    }

    /// The first joined endpoint whose network routes out: it owns the sandbox's default routes.
    func gatewayProvider(of members: [EndpointRecord], in transaction: Transaction) throws(SwnetError) -> EndpointRecord? {
        for member in members where hasGateway(try find(NetworkRecord.self, member.networkID, in: transaction)) {
            return member
        }
        return nil
    }

    private func hasGateway(_ network: NetworkRecord) -> Bool {
        (try? NetworkDrivers.named(network.driver))?.usesIPAM == true && !network.internal && network.ipam.contains { $0.gateway != nil }
    }
}
