import KernelOps

/// A bridge network's firewall: libnetwork's proven rule set in iptables terms, and published
/// ports as nftables map elements.
///
/// Chains: filter `SWNET-FORWARD` (per-network forwarding policy and the accept of published
/// ports), `SWNET-ISOLATION-1`/`-2` (networks cannot reach each other). Every iptables rule
/// carries the comment `swnet:<id>` of the network or endpoint it belongs to, so removing an
/// object removes exactly its rules, and nothing swnet did not make is ever touched.
///
/// Published ports are forwarded by swnet's own nftables table of each family (`PortForward`):
/// one map element per port, added and deleted in constant time, where each port's DNAT rule in
/// iptables' nat table made every commit of that table longer. The table is swnet's alone, so its
/// elements need no mark: each belongs to the joined endpoint that publishes its port to its
/// address (endpoint addresses are unique: subnets never overlap), and any other is a leftover.
struct BridgeFirewall: Firewall {
    /// The nat chain of published ports' DNAT rules before they moved to nftables: removed with
    /// the last network, or by `swnet system gc`, where an older swnet left it.
    static let legacyNATChain = "SWNET"
    static let forwardChain = "SWNET-FORWARD"
    static let isolationStage1 = "SWNET-ISOLATION-1"
    static let isolationStage2 = "SWNET-ISOLATION-2"

    func setUp(_ network: NetworkRecord) -> [FirewallBatch] {
        guard let bridge = network.bridgeName else { return [] }
        let mark = "swnet:" + network.id
        let masquerade = network.options["masquerade"] != "false" && !network.internal
        let icc = network.options["icc"] != "false"
        var batches: [FirewallBatch] = []
        for space in network.ipam {
            let family: IPFamily = space.subnet.family == .v4 ? .v4 : .v6
            let subnet = space.subnet.description
            var nat = FirewallBatch(family: family, table: "nat", changes: [])
            nat.changes.append(.deleteRules(chain: "POSTROUTING", matching: .comment(mark)))
            if masquerade {
                nat.changes.append(.addRule(chain: "POSTROUTING", rule: rule(mark, .masquerade) {
                    $0.source = .is(subnet)
                    $0.outInterface = .not(bridge)
                }, position: nil))
            }
            // Hairpin: a sandbox reaching a published port of its own network (itself included)
            // through a host address; masquerading makes the reply come back the same way.
            nat.changes.append(.addRule(chain: "POSTROUTING", rule: rule(mark, .masquerade) {
                $0.source = .is(subnet)
                $0.outInterface = .is(bridge)
                $0.connectionStates = [.dnat]
            }, position: nil))
            if family == .v4 {
                // The host's own 127.0.0.1 reaching a published port (route_localnet is on for
                // this bridge only): the sandbox must answer the bridge, not its own loopback.
                nat.changes.append(.addRule(chain: "POSTROUTING", rule: rule(mark, .masquerade) {
                    $0.source = .is("127.0.0.0/8")
                    $0.outInterface = .is(bridge)
                }, position: nil))
            }

            var filter = filterBase(family)
            for chain in [Self.forwardChain, Self.isolationStage1, Self.isolationStage2] {
                filter.changes.append(.deleteRules(chain: chain, matching: .comment(mark)))
            }
            filter.changes.append(.addRule(chain: Self.forwardChain, rule: rule(mark, .accept) {
                $0.outInterface = .is(bridge)
                $0.connectionStates = [.related, .established]
            }, position: nil))
            filter.changes.append(.addRule(chain: Self.forwardChain, rule: rule(mark, icc ? .accept : .drop) {
                $0.inInterface = .is(bridge)
                $0.outInterface = .is(bridge)
            }, position: nil))
            if !network.internal {
                filter.changes.append(.addRule(chain: Self.forwardChain, rule: rule(mark, .accept) {
                    $0.inInterface = .is(bridge)
                    $0.outInterface = .not(bridge)
                }, position: nil))
            }
            // Published ports: whatever the port forwards rewrote towards this network. One rule
            // per network, not per port, so a frame's way through the chain does not grow with
            // the number of ports published.
            if !network.internal {
                filter.changes.append(.addRule(chain: Self.forwardChain, rule: rule(mark, .accept) {
                    $0.inInterface = .not(bridge)
                    $0.outInterface = .is(bridge)
                    $0.connectionStates = [.dnat]
                }, position: nil))
            }
            // Nothing else gets in: not other hosts (unless published), not other networks.
            filter.changes.append(.addRule(chain: Self.forwardChain, rule: rule(mark, .drop) {
                $0.outInterface = .is(bridge)
            }, position: nil))
            filter.changes.append(.addRule(chain: Self.isolationStage1, rule: rule(mark, network.internal ? .drop : .jump(Self.isolationStage2)) {
                $0.inInterface = .is(bridge)
                $0.outInterface = .not(bridge)
            }, position: nil))
            filter.changes.append(.addRule(chain: Self.isolationStage2, rule: rule(mark, .drop) {
                $0.outInterface = .is(bridge)
            }, position: nil))
            batches += [filter, nat, FirewallBatch(family: family, table: PortForward.table, changes: [.ensurePortForwarding])]
        }
        return batches
    }

    func tearDown(_ network: NetworkRecord, lastOf families: Set<IPFamily>) -> [FirewallBatch] {
        let mark = "swnet:" + network.id
        var batches: [FirewallBatch] = []
        for family in firewallFamilies(of: network) {
            let last = families.contains(family)
            var filter = FirewallBatch(family: family, table: "filter", changes: [
                .deleteRules(chain: Self.forwardChain, matching: .comment(mark)),
                .deleteRules(chain: Self.isolationStage1, matching: .comment(mark)),
                .deleteRules(chain: Self.isolationStage2, matching: .comment(mark)),
            ])
            var nat = FirewallBatch(family: family, table: "nat", changes: [.deleteRules(chain: "POSTROUTING", matching: .comment(mark))])
            if last {
                filter.changes += [
                    .deleteRules(chain: "FORWARD", matching: .comment(jumpMark(Self.isolationStage1))),
                    .deleteRules(chain: "FORWARD", matching: .comment(jumpMark(Self.forwardChain))),
                    .deleteChain(Self.forwardChain),
                    .deleteChain(Self.isolationStage1),
                    .deleteChain(Self.isolationStage2),
                ]
                nat.changes += [
                    .deleteRules(chain: "PREROUTING", matching: .comment(jumpMark(Self.legacyNATChain))),
                    .deleteRules(chain: "OUTPUT", matching: .comment(jumpMark(Self.legacyNATChain))),
                    .deleteChain(Self.legacyNATChain),
                ]
            }
            batches += [filter, nat] + (last ? [FirewallBatch(family: family, table: PortForward.table, changes: [.removePortForwarding])] : [])
        }
        return batches
    }

    func publish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch] {
        guard network.bridgeName != nil, !endpoint.ports.isEmpty else { return [] }
        let mark = "swnet:" + endpoint.id
        var batches: [FirewallBatch] = []
        for (family, address) in Self.publishedAddresses(of: endpoint) {
            let forwards = Self.forwards(of: endpoint, to: address, family: family)
            guard !forwards.isEmpty else { continue }
            batches.append(FirewallBatch(family: family, table: PortForward.table, changes: forwards.map { .forwardPort($0) }))
            var raw = FirewallBatch(family: family, table: "raw", changes: [.deleteRules(chain: "PREROUTING", matching: .comment(mark))])
            for binding in endpoint.ports {
                guard let hostIP = binding.hostIP, hostIP.isLoopback, (hostIP.family == .v4) == (family == .v4) else { continue }
                // A loopback-only port must not be reachable by a neighbour that sends to
                // 127.0.0.1 through our MAC (the exposure of moby#45610).
                raw.changes.append(.addRule(chain: "PREROUTING", rule: rule(mark, .drop) {
                    $0.destination = .is(hostIP.description)
                    $0.inInterface = .not("lo")
                    $0.transport = binding.transport
                    $0.destinationPort = binding.hostPort
                }, position: 0))
            }
            if raw.changes.count > 1 { batches.append(raw) }
        }
        return batches
    }

    func unpublish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch] {
        guard !endpoint.ports.isEmpty else { return [] }
        let mark = "swnet:" + endpoint.id
        let guarded = endpoint.ports.contains { $0.hostIP?.isLoopback == true }
        return Self.publishedAddresses(of: endpoint).flatMap { family, address in
            [FirewallBatch(family: family, table: PortForward.table,
                           changes: Self.forwards(of: endpoint, to: address, family: family).map { .stopForwarding($0) })]
                + (guarded ? [FirewallBatch(family: family, table: "raw", changes: [.deleteRules(chain: "PREROUTING", matching: .comment(mark))])] : [])
        }
    }

    /// Every port forward the endpoint's published ports make while it is joined.
    static func portForwards(of endpoint: EndpointRecord) -> [FamilyForward] {
        publishedAddresses(of: endpoint).flatMap { family, address in
            forwards(of: endpoint, to: address, family: family).map { FamilyForward(family: family, forward: $0) }
        }
    }

    /// The endpoint's published ports of one family, forwarded to its address of that family: a
    /// binding to one host address belongs to that address's family, others to both.
    private static func forwards(of endpoint: EndpointRecord, to address: IPAddress, family: IPFamily) -> [PortForward] {
        endpoint.ports.compactMap { binding in
            if let hostIP = binding.hostIP, (hostIP.family == .v4) != (family == .v4) { return nil }
            return PortForward(hostAddress: binding.hostIP?.description, transport: binding.transport,
                               hostPort: binding.hostPort, address: address.description, port: binding.containerPort)
        }
    }

    /// The addresses an endpoint's published ports are forwarded to, one per family.
    private static func publishedAddresses(of endpoint: EndpointRecord) -> [(family: IPFamily, address: IPAddress)] {
        [(IPFamily.v4, endpoint.ipv4Address), (.v6, endpoint.ipv6Address)].compactMap { family, address in
            address.map { (family, $0) }
        }
    }

    /// swnet's filter chains and the jumps into them, created when missing.
    private func filterBase(_ family: IPFamily) -> FirewallBatch {
        FirewallBatch(family: family, table: "filter", changes: [
            .ensureChain(Self.forwardChain),
            .ensureChain(Self.isolationStage1),
            .ensureChain(Self.isolationStage2),
            // Inserted in this order at the top, isolation ends up first.
            .ensureRule(chain: "FORWARD", rule: rule(jumpMark(Self.forwardChain), .jump(Self.forwardChain)) { _ in }, position: 0),
            .ensureRule(chain: "FORWARD", rule: rule(jumpMark(Self.isolationStage1), .jump(Self.isolationStage1)) { _ in }, position: 0),
        ])
    }

    private func jumpMark(_ chain: String) -> String { "swnet:" + chain }

    private func rule(_ comment: String?, _ verdict: FirewallRule.Verdict, _ configure: (inout FirewallRule) -> Void) -> FirewallRule {
        var rule = FirewallRule(comment: comment, verdict: verdict)
        configure(&rule)
        return rule
    }
}
