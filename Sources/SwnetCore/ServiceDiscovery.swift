/// One address and the names that resolve to it inside a sandbox.
///
/// This is the resolver's data, kept apart from the hosts file it is written to today, so that
/// an embedded DNS server could answer A/AAAA queries from the same entries.
public struct HostEntry: Sendable, Equatable {
    public var address: IPAddress
    public var names: [String]
    /// The network that makes the name visible; nil for the sandbox's own addresses.
    public var network: String?
}

/// Service discovery without a daemon: each sandbox can resolve, on every network it is joined
/// to, the other members by sandbox name, hostname, endpoint name and alias.
enum ServiceDiscovery {
    /// What `sandbox` resolves: first its own addresses (under its hostname and names), then, per
    /// network in join order, every other joined member of that network, by endpoint name.
    ///
    /// - Parameters:
    ///   - endpoints: every endpoint on the host (only joined ones count).
    ///   - sandboxes: every sandbox, by id.
    static func entries(for sandbox: SandboxRecord, endpoints: [EndpointRecord],
                        sandboxes: [String: SandboxRecord]) -> [HostEntry] {
        let byID = Dictionary(endpoints.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let own = sandbox.endpoints.compactMap { byID[$0] }
        var entries: [HostEntry] = []
        let hostname = sandbox.hostname ?? sandbox.name
        for endpoint in own {
            var names = sandbox.domainname.map { ["\(hostname).\($0)"] } ?? []
            names += [hostname, sandbox.name, endpoint.name] + endpoint.aliases
            for address in endpoint.addresses {
                entries.append(HostEntry(address: address, names: unique(names), network: nil))
            }
        }
        let joinedNetworks = own.map(\.networkID)
        let members = Dictionary(grouping: endpoints.filter { $0.sandboxID != nil && $0.sandboxID != sandbox.id }, by: \.networkID)
        for networkID in joinedNetworks {
            for member in (members[networkID] ?? []).sorted(by: { $0.name < $1.name }) {
                guard let memberSandbox = member.sandboxID.flatMap({ sandboxes[$0] }) else { continue }
                let names = [memberSandbox.name] + [memberSandbox.hostname].compactMap { $0 } + [member.name] + member.aliases
                for address in member.addresses {
                    entries.append(HostEntry(address: address, names: unique(names), network: member.networkName))
                }
            }
        }
        return entries
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension EndpointRecord {
    /// The endpoint's addresses, IPv4 first.
    var addresses: [IPAddress] { [ipv4Address, ipv6Address].compactMap { $0 } }
}

extension Controller {
    /// Rewrites the hosts file of every sandbox whose view of names this transaction changed:
    /// those it marked, and every sandbox joined to a network whose members changed. Runs once,
    /// just before the commit, so a command that changes many memberships writes each file once.
    func refreshHostsFiles(in transaction: Transaction) throws(SwnetError) {
        let (networkIDs, sandboxIDs) = transaction.takeChangedNames()
        guard !networkIDs.isEmpty || !sandboxIDs.isEmpty else { return }
        let endpoints = try transaction.loadAll(EndpointRecord.self)
        let sandboxes = Dictionary(try transaction.loadAll(SandboxRecord.self).map { ($0.id, $0) },
                                   uniquingKeysWith: { first, _ in first })
        var affected = sandboxIDs
        for endpoint in endpoints where networkIDs.contains(endpoint.networkID) {
            if let sandboxID = endpoint.sandboxID { affected.insert(sandboxID) }
        }
        for id in affected.sorted() {
            // A sandbox removed by this command takes its files with it.
            guard let sandbox = sandboxes[id] else { continue }
            let entries = ServiceDiscovery.entries(for: sandbox, endpoints: endpoints, sandboxes: sandboxes)
            SandboxFiles.writeHosts(for: sandbox, entries: entries, options: options, in: transaction)
        }
    }
}
