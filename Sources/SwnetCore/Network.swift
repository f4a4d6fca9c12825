import KernelOps

/// Everything `network create` accepts besides the name and driver.
public struct NetworkOptions: Sendable {
    public var addresses = AddressRequest()
    public var `internal` = false
    public var mtu: UInt32?
    /// Driver options (`--opt`), in swnet's or Docker's spelling.
    public var driverOptions: [String: String] = [:]
    public var labels: [String: String] = [:]

    public init() {}
}

/// A network (libnetwork's `Network`): a snapshot of its record and the operations on it.
public struct Network {
    public let controller: Controller
    public let record: NetworkRecord

    public var name: String { record.name }
    public var id: String { record.id }

    /// Creates an endpoint on this network (libnetwork's `CreateEndpoint`).
    public func createEndpoint(name: String, options: EndpointOptions = EndpointOptions()) throws(SwnetError) -> Endpoint {
        try controller.newEndpoint(network: id, name: name, options: options)
    }

    /// Removes the network; with `force`, its endpoints first.
    public func delete(force: Bool = false) throws(SwnetError) {
        try controller.deleteNetwork(id, force: force)
    }
}

extension Controller {
    /// Creates a network and its kernel objects (libnetwork's `NewNetwork`).
    public func newNetwork(driver driverName: String = "bridge", name: String,
                           options: NetworkOptions = NetworkOptions()) throws(SwnetError) -> Network {
        let record = try mutate { (transaction) throws(SwnetError) -> NetworkRecord in
            try createNetwork(driver: driverName, name: name, options: options, in: transaction)
        }
        return Network(controller: self, record: record)
    }

    /// Creates a network unless one of that name exists with every setting `options` gives
    /// (`network create --ignore`); a network that differs is a conflict naming the difference.
    /// Returns the network and whether it was created.
    public func ensureNetwork(driver driverName: String = "bridge", name: String,
                              options: NetworkOptions = NetworkOptions()) throws(SwnetError) -> (network: Network, created: Bool) {
        let (record, created) = try mutate { (transaction) throws(SwnetError) -> (NetworkRecord, Bool) in
            guard let existing = try transaction.load(NetworkRecord.self, named: name) else {
                return (try createNetwork(driver: driverName, name: name, options: options, in: transaction), true)
            }
            let differences = try existing.differences(driver: driverName, options: options)
            if !differences.isEmpty {
                throw .conflict("network \"\(name)\" exists with another configuration",
                                why: differences.joined(separator: "; "), hint: "remove it first, or change the request to match")
            }
            return (existing, false)
        }
        return (Network(controller: self, record: record), created)
    }

    func createNetwork(driver driverName: String, name: String, options: NetworkOptions,
                       in transaction: Transaction) throws(SwnetError) -> NetworkRecord {
        try Identifiers.validateName(name, of: .network)
        let driver = try NetworkDrivers.named(driverName)
        if let mtu = options.mtu, !MTU.range.contains(mtu) {
            throw .invalid("invalid MTU \(mtu)", hint: "use a number from \(MTU.range.lowerBound) to \(MTU.range.upperBound)")
        }
        try Labels.validate(options.labels)
        if !driver.usesIPAM && !options.addresses.isEmpty {
            throw .invalid("the \(driver.name) driver has no addresses", hint: "drop --subnet, --gateway, --ip-range and --ipv6")
        }
        let networks = try transaction.loadAll(NetworkRecord.self)
        if networks.contains(where: { $0.name == name }) {
            throw .conflict("network \"\(name)\" already exists", hint: "choose another name or remove it first")
        }
        var record = NetworkRecord(
            id: Identifiers.newID(), name: name, driver: driver.name, created: Controller.now(),
            bridgeName: nil, mtu: options.mtu, ipv6: false, internal: options.internal, options: [:],
            labels: options.labels, ipam: [])
        if driver.usesIPAM {
            record.ipam = try IPAM.plan(options.addresses, networkName: name, networks: networks,
                                        hostPrefixes: try hostPrefixes(), pools: self.options.defaultAddressPools,
                                        warn: onWarning)
            record.ipv6 = record.addressSpace(for: .v6) != nil
        }
        try driver.configure(&record, options: options.driverOptions, existing: networks, kernel: kernel)
        try driver.createNetwork(record, others: networks, in: transaction)
        transaction.save(record)
        return record
    }

    /// The network with this name or id prefix.
    public func network(_ reference: String) throws(SwnetError) -> Network {
        Network(controller: self, record: try read { (transaction) throws(SwnetError) in
            try find(NetworkRecord.self, reference, in: transaction)
        })
    }

    /// Every network, by name.
    public func networks() throws(SwnetError) -> [NetworkRecord] {
        try read { (transaction) throws(SwnetError) in try transaction.loadAll(NetworkRecord.self) }
    }

    /// Removes a network. Refuses while it has endpoints, unless `force`, which removes them
    /// (leaving their sandboxes first).
    public func deleteNetwork(_ reference: String, force: Bool = false) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            try removeNetwork(try find(NetworkRecord.self, reference, in: transaction), force: force, in: transaction)
        }
    }

    /// Whether a network of this name or id prefix exists (`network exists`).
    public func networkExists(_ reference: String) throws(SwnetError) -> Bool {
        do {
            _ = try network(reference)
            return true
        } catch where error.kind == .notFound {
            return false
        }
    }

    func removeNetwork(_ network: NetworkRecord, force: Bool, in transaction: Transaction) throws(SwnetError) {
        let endpoints = try endpoints(on: network, in: transaction)
        if !endpoints.isEmpty && !force {
            let names = endpoints.prefix(5).map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw .conflict("network \"\(network.name)\" has \(endpoints.count) endpoint(s)", why: names,
                            hint: "remove them first, or use --force")
        }
        for endpoint in endpoints {
            try removeEndpoint(endpoint, in: transaction)
        }
        let current = try find(NetworkRecord.self, network.id, in: transaction)
        let others = try transaction.loadAll(NetworkRecord.self).filter { $0.id != current.id }
        try NetworkDrivers.named(current.driver).deleteNetwork(current, others: others, in: transaction)
        transaction.delete(current)
        transaction.namesChanged(network: current.id, sandbox: nil)
    }

    /// A network's endpoints, by name. Each endpoint of a network with addresses holds at least
    /// one, and address records are named after their network: a listing finds them, and only
    /// this network's endpoints are read, not every endpoint on the host (`network rm` with
    /// 1000 endpoints on other networks read them all: 93-110 ms).
    private func endpoints(on network: NetworkRecord, in transaction: Transaction) throws(SwnetError) -> [EndpointRecord] {
        guard try NetworkDrivers.named(network.driver).usesIPAM, !network.ipam.isEmpty else {
            return try transaction.loadAll(EndpointRecord.self).filter { $0.networkID == network.id }
        }
        var endpoints: [String: EndpointRecord] = [:]
        for allocation in try transaction.loadAll(AddressAllocation.self, namesStartingWith: network.id + "_")
        where endpoints[allocation.endpointID] == nil {
            if let endpoint = try transaction.load(EndpointRecord.self, id: allocation.endpointID), endpoint.networkID == network.id {
                endpoints[endpoint.id] = endpoint
            }
        }
        return endpoints.values.sorted { $0.name < $1.name }
    }

    /// Removes every network without endpoints whose labels match `labels` (all of them, each
    /// `key` alone or `key=value`). Returns the names removed.
    public func pruneNetworks(labels: [String] = []) throws(SwnetError) -> [String] {
        try mutate { (transaction) throws(SwnetError) -> [String] in
            let used = Set(try transaction.loadAll(EndpointRecord.self).map(\.networkID))
            var removed: [String] = []
            for network in try transaction.loadAll(NetworkRecord.self)
            where !used.contains(network.id) && Labels.match(network.labels, filters: labels) {
                try removeNetwork(network, force: false, in: transaction)
                removed.append(network.name)
            }
            return removed
        }
    }

    /// The prefixes on the host that automatic subnets must stay clear of.
    private func hostPrefixes() throws(SwnetError) -> [Subnet] {
        let texts: [String]
        do {
            texts = try kernel.hostPrefixes()
        } catch let error as KernelError {
            throw .kernel(error, while: "read the host's addresses and routes")
        } catch {
            throw SwnetError(.system, "cannot read the host's addresses and routes", why: "\(error)")
        }
        return texts.compactMap { text in
            guard let (_, subnet) = try? Subnet.parseInterfaceAddress(text), subnet.prefixLength > 0 else { return nil }
            return subnet
        }
    }
}

extension NetworkRecord {
    /// How this network differs from what `driver` and `options` ask for; only the settings the
    /// request gives are compared, as `--ignore` wants.
    func differences(driver: String, options: NetworkOptions) throws(SwnetError) -> [String] {
        var found: [String] = []
        if driver != self.driver { found.append("driver \(self.driver), not \(driver)") }
        let subnets = ipam.map(\.subnet)
        for text in options.addresses.subnets {
            guard let subnet = try? Subnet(parsing: text) else {
                throw .invalid("invalid --subnet \"\(text)\"", hint: "give a subnet in CIDR form, such as 10.1.0.0/24")
            }
            if !subnets.contains(subnet) {
                found.append("subnet \(subnets.map(\.description).joined(separator: ",")), not \(subnet)")
            }
        }
        for text in options.addresses.gateways where !ipam.contains(where: { $0.gateway == IPAddress(text) }) {
            found.append("gateway \(ipam.compactMap { $0.gateway?.description }.joined(separator: ",")), not \(text)")
        }
        if let text = options.addresses.ipRange, !ipam.contains(where: { $0.ipRange?.description == text }) {
            found.append("ip range \(ipam.compactMap { $0.ipRange?.description }.joined(separator: ",")), not \(text)")
        }
        if options.addresses.ipv6 && !ipv6 { found.append("no IPv6") }
        if options.internal != `internal` { found.append(`internal` ? "internal" : "not internal") }
        if let mtu = options.mtu, mtu != self.mtu { found.append("MTU \(self.mtu.map(String.init) ?? "default"), not \(mtu)") }
        found += try NetworkDrivers.named(self.driver).differences(self, options: options.driverOptions)
        for (key, value) in options.labels.sorted(by: { $0.key < $1.key }) where labels[key] != value {
            found.append("label \(key)=\(labels[key] ?? "(none)"), not \(value)")
        }
        return found
    }
}

/// Labels (`--label K=V`) and label filters (`label=K`, `label=K=V`).
public enum Labels {
    /// Parses "K=V" pairs into a dictionary, refusing empty keys and repeated keys. A label may
    /// be a bare "K" (an empty value), as Docker's may; a driver option (`--opt`) may not.
    public static func parse(_ pairs: [String], option: String = "--label") throws(SwnetError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 || option == "--label", !parts[0].isEmpty else {
                throw .invalid("invalid \(option) \"\(pair)\"", hint: "write it as KEY=VALUE")
            }
            let key = String(parts[0])
            guard result[key] == nil else {
                throw .invalid("\(option) \(key) is given twice", hint: "give each key once")
            }
            result[key] = parts.count == 2 ? String(parts[1]) : ""
        }
        try validate(result)
        return result
    }

    static func validate(_ labels: [String: String]) throws(SwnetError) {
        for (key, value) in labels where (key + value).unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw .invalid("label \"\(key)\" contains a control character", hint: "use printable text")
        }
    }

    /// True when `labels` satisfies every filter ("K" needs the key, "K=V" the exact value).
    public static func match(_ labels: [String: String], filters: [String]) -> Bool {
        filters.allSatisfy { filter in
            let parts = filter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let value = labels[String(parts[0])] else { return false }
            return parts.count == 1 || value == parts[1]
        }
    }
}
