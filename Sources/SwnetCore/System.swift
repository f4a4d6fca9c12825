import Glibc
import KernelOps

/// What `swnet system info` reports.
public struct SystemInfo: Codable, Sendable {
    public var version: String
    public var stateDirectory: String
    public var netnsDirectory: String
    public var networks: Int
    public var endpoints: Int
    public var sandboxes: Int
    /// Where swnet's rules live and how to see them.
    public var firewall: String
    /// What `iptables` on this host is, when it is not the legacy variant swnet writes.
    public var firewallNote: String?
    public var ipForwarding: Bool
}

extension Controller {
    /// A summary of swnet's state and of where its kernel objects are.
    public func systemInfo(version: String) throws(SwnetError) -> SystemInfo {
        // Counted from the listings: decoding every record to count it took 77 ms at 1000 sandboxes.
        let counts = try read { (_) throws(SwnetError) -> (Int, Int, Int) in
            (try store.names(of: .network).count, try store.names(of: .endpoint).count, try store.names(of: .sandbox).count)
        }
        var note: String?
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        if let resolved = realpath("/usr/sbin/iptables", &buffer) {
            let target = String(cString: resolved)
            if target.contains("nft") {
                note = "'iptables' on this host is the nf_tables variant (\(target)): it does not show swnet's rules; use iptables-legacy-save and ip6tables-legacy-save"
            }
        }
        return SystemInfo(
            version: version, stateDirectory: options.stateDirectory, netnsDirectory: options.netnsDirectory,
            networks: counts.0, endpoints: counts.1, sandboxes: counts.2,
            firewall: "iptables legacy tables through libiptc (chains SWNET-FORWARD, SWNET-ISOLATION-1/2; rules commented swnet:<id>); published ports in the nftables tables ip swnet and ip6 swnet",
            firewallNote: note, ipForwarding: (try? Sysctl().get("net/ipv4/ip_forward")) == "1")
    }

    /// Re-creates, from the state, every network, sandbox, join and firewall rule the kernel
    /// lacks (after a reboot, an `iptables -F` or a firewalld reload). Objects that exist are left
    /// alone; rules are re-applied idempotently. Returns a line per repair.
    public func restore() throws(SwnetError) -> [String] {
        try mutate { (transaction) throws(SwnetError) -> [String] in
            var repairs: [String] = []
            let kernel = transaction.kernel
            let networks = try transaction.loadAll(NetworkRecord.self)
            for network in networks {
                repairs += try NetworkDrivers.named(network.driver).restoreNetwork(network, in: transaction)
            }
            for sandbox in try transaction.loadAll(SandboxRecord.self) {
                if !kernel.namespaceExists(at: sandbox.key) {
                    guard sandbox.ownsNamespace else {
                        repairs.append("sandbox \"\(sandbox.name)\": adopted namespace \(sandbox.key) is gone; remove the sandbox")
                        continue
                    }
                    try transaction.step(.restore, "re-create network namespace \(sandbox.key)", undo: { try kernel.removeNamespace(at: sandbox.key) }) {
                        try kernel.createNamespace(at: sandbox.key)
                    }
                    repairs.append("sandbox \"\(sandbox.name)\": namespace re-created")
                }
                try transaction.step(.restore, "prepare namespace \(sandbox.key)", undo: nil) {
                    try kernel.prepareSandbox(inNamespace: sandbox.key)
                }
                repairs += try restoreJoins(of: sandbox, in: transaction)
            }
            // Derived files are written afresh too: a reboot may have emptied /etc/netns.
            for sandbox in try transaction.loadAll(SandboxRecord.self) {
                SandboxFiles.writeResolvConf(for: sandbox, options: options, in: transaction)
            }
            try rewriteAllHostsFiles(in: transaction)
            return repairs
        }
    }

    /// Puts back what the kernel lacks of a sandbox's joins (all of them, or those of the
    /// endpoints in `only`): interfaces, default routes, published ports. Returns a line per
    /// interface re-created.
    func restoreJoins(of sandbox: SandboxRecord, only: Set<String>? = nil, in transaction: Transaction) throws(SwnetError) -> [String] {
        let members = members(of: sandbox, in: transaction)
        let provider = try gatewayProvider(of: members, in: transaction)
        var repairs: [String] = []
        for endpoint in members where only?.contains(endpoint.id) ?? true {
            let network = try find(NetworkRecord.self, endpoint.networkID, in: transaction)
            if let repair = try NetworkDrivers.named(network.driver).restoreJoin(
                endpoint, network: network, sandbox: sandbox, providesGateway: provider?.id == endpoint.id, in: transaction) {
                repairs.append(repair)
            }
        }
        return repairs
    }
}
