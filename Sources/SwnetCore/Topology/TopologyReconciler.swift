import FoundationEssentials

/// One change `up` or `down` makes, as it reports it.
public struct TopologyChange: Sendable, Equatable, CustomStringConvertible {
    public enum Action: String, Sendable {
        case created, updated, removed, connected, disconnected
    }

    public var action: Action
    /// "network front", "sandbox web", "web to front".
    public var object: String

    public var description: String {
        switch action {
        case .connected, .disconnected: "\(action.rawValue) \(object)"
        default: "\(object) \(action.rawValue)"
        }
    }
}

/// Called before each change with its position, the number of changes, and the change.
public typealias TopologyProgress = (_ position: Int, _ count: Int, _ change: TopologyChange) -> Void

extension Controller {
    /// Reconciles the host with a topology (`swnet up`): creates what is missing, replaces what
    /// was edited, removes what the topology made and no longer declares, and leaves the rest
    /// alone, so a second `up` changes nothing. All of it is one transaction: a failure anywhere
    /// leaves the host and the state as they were. Returns the changes made, in order.
    @discardableResult
    public func up(_ topology: Topology, progress: TopologyProgress? = nil) throws(SwnetError) -> [TopologyChange] {
        try mutate { (transaction) throws(SwnetError) -> [TopologyChange] in
            let plan = try TopologyPlan(topology, in: transaction)
            try plan.run(self, topology: topology, in: transaction, progress: progress)
            return plan.changes
        }
    }

    /// Removes every object labelled with the topology's name (`swnet down`), and nothing else:
    /// a network that another sandbox still uses is refused. One transaction, like `up`.
    @discardableResult
    public func down(topology name: String, progress: TopologyProgress? = nil) throws(SwnetError) -> [TopologyChange] {
        try mutate { (transaction) throws(SwnetError) -> [TopologyChange] in
            let plan = try TopologyPlan(removing: name, in: transaction)
            try plan.run(self, topology: Topology(name: name), in: transaction, progress: progress)
            return plan.changes
        }
    }
}

/// What `up` or `down` will do, worked out from the state before anything changes.
private struct TopologyPlan {
    enum Step {
        case disconnect(EndpointRecord)
        case removeSandbox(SandboxRecord)
        case removeNetwork(NetworkRecord)
        case createNetwork(Topology.NetworkSpec)
        case createSandbox(Topology.SandboxSpec)
        case updateSandbox(SandboxRecord, Topology.SandboxSpec)
        case connect(Topology.SandboxSpec, Topology.ConnectionSpec)
    }

    var steps: [Step] = []

    var changes: [TopologyChange] { steps.map(\.change) }

    init(_ topology: Topology, in transaction: Transaction) throws(SwnetError) {
        let name = topology.name
        let networks = try transaction.loadAll(NetworkRecord.self)
        let sandboxes = try transaction.loadAll(SandboxRecord.self)
        let endpoints = try transaction.loadAll(EndpointRecord.self)
        let ours = { (labels: [String: String]) in labels[Topology.projectLabel] == name }

        var networkDigests: [String: String] = [:]
        for spec in topology.networks {
            networkDigests[spec.name] = Digest.of(spec)
            if let existing = networks.first(where: { $0.name == spec.name }), !ours(existing.labels) {
                throw .conflict("network \"\(spec.name)\" exists and is not part of topology \"\(name)\"",
                                hint: "remove it, or rename the network in the file")
            }
        }
        for spec in topology.sandboxes {
            if let existing = sandboxes.first(where: { $0.name == spec.name }), !ours(existing.labels) {
                throw .conflict("sandbox \"\(spec.name)\" exists and is not part of topology \"\(name)\"",
                                hint: "remove it, or rename the sandbox in the file")
            }
        }
        let sandboxSpecs = Dictionary(topology.sandboxes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

        // Networks the topology made that are gone from the file or were edited.
        var replacedNetworks = Set<String>()
        for network in networks where ours(network.labels) && networkDigests[network.name] != network.labels[Topology.digestLabel] {
            replacedNetworks.insert(network.id)
        }
        let removedSandboxes = Set(sandboxes.filter { ours($0.labels) && sandboxSpecs[$0.name] == nil }.map(\.id))
        try Self.refuseForeignEndpoints(on: replacedNetworks, endpoints: endpoints, sandboxes: sandboxes,
                                        leaving: removedSandboxes, topology: name)

        // Connections: kept when their digest (which covers the network's) is unchanged.
        var kept = Set<String>()
        for endpoint in endpoints where ours(endpoint.labels) {
            guard !replacedNetworks.contains(endpoint.networkID), !removedSandboxes.contains(endpoint.sandboxID ?? "") else { continue }
            let wanted = endpoint.sandboxName.flatMap { sandboxSpecs[$0] }?.connections.first { $0.network == endpoint.networkName }
            if let wanted, endpoint.sandboxID != nil,
               endpoint.labels[Topology.digestLabel] == Digest.of(wanted, networkDigest: networkDigests[wanted.network] ?? "") {
                kept.insert("\(endpoint.sandboxName ?? "")/\(endpoint.networkName)")
            } else {
                steps.append(.disconnect(endpoint))
            }
        }
        steps += sandboxes.filter { removedSandboxes.contains($0.id) }.map { .removeSandbox($0) }
        steps += networks.filter { replacedNetworks.contains($0.id) }.map { .removeNetwork($0) }
        let standing = Set(networks.filter { !replacedNetworks.contains($0.id) }.map(\.name))
        steps += topology.networks.filter { !standing.contains($0.name) }.map { .createNetwork($0) }
        for spec in topology.sandboxes {
            if let existing = sandboxes.first(where: { $0.name == spec.name }) {
                if existing.labels[Topology.digestLabel] != Digest.of(spec) { steps.append(.updateSandbox(existing, spec)) }
            } else {
                steps.append(.createSandbox(spec))
            }
        }
        for spec in topology.sandboxes {
            steps += spec.connections.filter { !kept.contains("\(spec.name)/\($0.network)") }.map { .connect(spec, $0) }
        }
    }

    /// The plan of `down`: every sandbox, then every network, labelled with the topology.
    init(removing name: String, in transaction: Transaction) throws(SwnetError) {
        let ours = { (labels: [String: String]) in labels[Topology.projectLabel] == name }
        let sandboxes = try transaction.loadAll(SandboxRecord.self)
        let endpoints = try transaction.loadAll(EndpointRecord.self)
        let networks = try transaction.loadAll(NetworkRecord.self).filter { ours($0.labels) }
        let removedSandboxes = sandboxes.filter { ours($0.labels) }
        try Self.refuseForeignEndpoints(on: Set(networks.map(\.id)), endpoints: endpoints, sandboxes: sandboxes,
                                        leaving: Set(removedSandboxes.map(\.id)), topology: name)
        steps = removedSandboxes.map { .removeSandbox($0) } + networks.map { .removeNetwork($0) }
    }

    /// Refuses to remove a network that a sandbox outside the topology is still joined to, or
    /// that carries an endpoint the topology did not make: `down` removes only what `up` made.
    private static func refuseForeignEndpoints(on networkIDs: Set<String>, endpoints: [EndpointRecord], sandboxes: [SandboxRecord],
                                               leaving: Set<String>, topology: String) throws(SwnetError) {
        for endpoint in endpoints where networkIDs.contains(endpoint.networkID) && endpoint.labels[Topology.projectLabel] != topology {
            if let sandboxID = endpoint.sandboxID, leaving.contains(sandboxID) && endpoint.createdByConnect { continue }
            let owner = endpoint.sandboxName.map { " of sandbox \"\($0)\"" } ?? ""
            throw .conflict("network \"\(endpoint.networkName)\" of topology \"\(topology)\" has endpoint \"\(endpoint.name)\"\(owner), which the topology did not make",
                            hint: "remove that endpoint first ('swnet endpoint rm --force \(endpoint.name)')")
        }
    }

    func run(_ controller: Controller, topology: Topology, in transaction: Transaction,
             progress: TopologyProgress?) throws(SwnetError) {
        let owner = [Topology.projectLabel: topology.name]
        let networkDigests = Dictionary(topology.networks.map { ($0.name, Digest.of($0)) }, uniquingKeysWith: { first, _ in first })
        for (position, step) in steps.enumerated() {
            progress?(position + 1, steps.count, step.change)
            switch step {
            case .disconnect(let endpoint):
                guard let current = try transaction.load(EndpointRecord.self, named: endpoint.name) else { continue }
                try controller.removeEndpoint(current, in: transaction)
            case .removeSandbox(let sandbox):
                try controller.removeSandbox(sandbox, in: transaction)
            case .removeNetwork(let network):
                guard let current = try transaction.load(NetworkRecord.self, named: network.name) else { continue }
                try controller.removeNetwork(current, force: true, in: transaction)
            case .createNetwork(let spec):
                var options = NetworkOptions()
                options.addresses = AddressRequest(subnets: spec.subnets, gateways: spec.gateways, ipRange: spec.ipRange, ipv6: spec.ipv6)
                options.internal = spec.internal
                options.mtu = spec.mtu
                options.driverOptions = spec.options
                options.labels = spec.labels.merging(owner) { $1 }
                options.labels[Topology.digestLabel] = networkDigests[spec.name]
                _ = try controller.createNetwork(driver: spec.driver, name: spec.name, options: options, in: transaction)
            case .createSandbox(let spec):
                try controller.createSandbox(try controller.sandboxRecord(name: spec.name, settings: try spec.settings(owner: owner)),
                                             in: transaction)
            case .updateSandbox(let existing, let spec):
                try controller.updateSandbox(existing, to: try spec.settings(owner: owner), in: transaction)
            case .connect(let spec, let connection):
                let network = try controller.find(NetworkRecord.self, connection.network, in: transaction)
                let sandbox = try controller.find(SandboxRecord.self, spec.name, in: transaction)
                var options = EndpointOptions(ipv4Address: connection.ip, ipv6Address: connection.ip6, macAddress: connection.mac)
                options.aliases = connection.aliases
                options.publish = connection.publish
                options.labels = owner
                options.labels[Topology.digestLabel] = Digest.of(connection, networkDigest: networkDigests[connection.network] ?? "")
                _ = try controller.connect(network, sandbox, endpointName: nil, options: options, interfaceName: nil, in: transaction)
            }
        }
    }
}

private extension TopologyPlan.Step {
    var change: TopologyChange {
        switch self {
        case .disconnect(let endpoint):
            TopologyChange(action: .disconnected, object: "\(endpoint.sandboxName ?? endpoint.name) from \(endpoint.networkName)")
        case .removeSandbox(let sandbox): TopologyChange(action: .removed, object: "sandbox \(sandbox.name)")
        case .removeNetwork(let network): TopologyChange(action: .removed, object: "network \(network.name)")
        case .createNetwork(let spec): TopologyChange(action: .created, object: "network \(spec.name)")
        case .createSandbox(let spec): TopologyChange(action: .created, object: "sandbox \(spec.name)")
        case .updateSandbox(let sandbox, _): TopologyChange(action: .updated, object: "sandbox \(sandbox.name)")
        case .connect(let spec, let connection): TopologyChange(action: .connected, object: "\(spec.name) to \(connection.network)")
        }
    }
}

extension Topology.SandboxSpec {
    /// The sandbox's settings as `sandbox create` takes them, with the topology's labels.
    func settings(owner: [String: String]) throws(SwnetError) -> [SandboxOption] {
        var labels = self.labels.merging(owner) { $1 }
        labels[Topology.digestLabel] = Digest.of(self)
        return try SandboxOption.settings(hostname: hostname, domainname: domainname, dns: dns, dnsSearch: dnsSearch,
                                          extraHosts: extraHosts, labels: labels)
    }
}

/// A short digest of the settings an object was made from, kept in its labels.
enum Digest {
    /// A network's digest covers all its settings.
    static func of(_ spec: Topology.NetworkSpec) -> String { fnv(spec) }

    /// A sandbox's digest covers its own settings, not its connections (they have their own).
    static func of(_ spec: Topology.SandboxSpec) -> String {
        var settings = spec
        settings.connections = []
        return fnv(settings)
    }

    /// A connection's digest covers its network's, so a replaced network reconnects its sandboxes.
    static func of(_ connection: Topology.ConnectionSpec, networkDigest: String) -> String {
        fnv(connection) + networkDigest.prefix(4)
    }

    /// FNV-1a of the value's JSON with sorted keys.
    private static func fnv(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return FNV1a.hex((try? encoder.encode(value)) ?? Data())
    }
}
