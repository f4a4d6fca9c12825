import KernelOps

/// swnet's rules in iptables terms, modelled on libnetwork's proven set.
///
/// Chains: nat `SWNET` (published-port DNAT, jumped to from PREROUTING and OUTPUT for local
/// destinations, 127.0.0.1 included), filter `SWNET-FORWARD` (per-network forwarding policy and
/// published-port accepts), `SWNET-ISOLATION-1`/`-2` (networks cannot reach each other). Every rule
/// outside `SWNET` carries the comment `swnet:<id>` of the network or endpoint it belongs to;
/// a published port's DNAT rule in `SWNET` is the endpoint's whose address it sends to (endpoint
/// addresses are unique: subnets never overlap), so that the rule that grows with every port
/// published has no comment match to check (see `RuleSelector.dnatTarget`). Either way removing
/// an object removes exactly its rules, and nothing swnet did not make is ever touched.
struct IPTablesFirewall: Firewall {
    static let natChain = "SWNET"
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
            var nat = base(family, table: "nat")
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

            var filter = base(family, table: "filter")
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
            // Published ports: whatever the SWNET chain rewrote towards this network. One rule
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
            batches += [filter, nat]
        }
        return batches
    }

    func tearDown(_ network: NetworkRecord, lastOf families: Set<IPFamily>) -> [FirewallBatch] {
        let mark = "swnet:" + network.id
        var batches: [FirewallBatch] = []
        for family in firewallFamilies(of: network) {
            var filter = FirewallBatch(family: family, table: "filter", changes: [
                .deleteRules(chain: Self.forwardChain, matching: .comment(mark)),
                .deleteRules(chain: Self.isolationStage1, matching: .comment(mark)),
                .deleteRules(chain: Self.isolationStage2, matching: .comment(mark)),
            ])
            var nat = FirewallBatch(family: family, table: "nat", changes: [.deleteRules(chain: "POSTROUTING", matching: .comment(mark))])
            if families.contains(family) {
                filter.changes += [
                    .deleteRules(chain: "FORWARD", matching: .comment(jumpMark(Self.isolationStage1))),
                    .deleteRules(chain: "FORWARD", matching: .comment(jumpMark(Self.forwardChain))),
                    .deleteChain(Self.forwardChain),
                    .deleteChain(Self.isolationStage1),
                    .deleteChain(Self.isolationStage2),
                ]
                nat.changes += [
                    .deleteRules(chain: "PREROUTING", matching: .comment(jumpMark(Self.natChain))),
                    .deleteRules(chain: "OUTPUT", matching: .comment(jumpMark(Self.natChain))),
                    .deleteChain(Self.natChain),
                ]
            }
            batches += [filter, nat]
        }
        return batches
    }

    func publish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch] {
        guard network.bridgeName != nil, !endpoint.ports.isEmpty else { return [] }
        let mark = "swnet:" + endpoint.id
        var batches: [FirewallBatch] = []
        for (family, address) in Self.publishedAddresses(of: endpoint) {
            let bindings = endpoint.ports.filter { $0.hostIP == nil || ($0.hostIP?.family == .v4) == (family == .v4) }
            guard !bindings.isEmpty else { continue }
            var nat = base(family, table: "nat")
            nat.changes.append(.deleteRules(chain: Self.natChain, matching: .dnatTarget(address.description)))
            var raw = FirewallBatch(family: family, table: "raw", changes: [.deleteRules(chain: "PREROUTING", matching: .comment(mark))])
            for binding in bindings {
                nat.changes.append(.addRule(chain: Self.natChain, rule: rule(nil, .dnat(address: address.description, port: binding.containerPort)) {
                    $0.destination = binding.hostIP.map { .is($0.description) }
                    $0.transport = binding.transport
                    $0.destinationPort = binding.hostPort
                }, position: nil))
                if let hostIP = binding.hostIP, hostIP.isLoopback {
                    // A loopback-only port must not be reachable by a neighbour that sends to
                    // 127.0.0.1 through our MAC (the exposure of moby#45610).
                    raw.changes.append(.addRule(chain: "PREROUTING", rule: rule(mark, .drop) {
                        $0.destination = .is(hostIP.description)
                        $0.inInterface = .not("lo")
                        $0.transport = binding.transport
                        $0.destinationPort = binding.hostPort
                    }, position: 0))
                }
            }
            batches.append(nat)
            if raw.changes.count > 1 { batches.append(raw) }
        }
        return batches
    }

    func unpublish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch] {
        guard !endpoint.ports.isEmpty else { return [] }
        let mark = "swnet:" + endpoint.id
        let guarded = endpoint.ports.contains { $0.hostIP?.isLoopback == true }
        return Self.publishedAddresses(of: endpoint).flatMap { family, address in
            [FirewallBatch(family: family, table: "nat", changes: [.deleteRules(chain: Self.natChain, matching: .dnatTarget(address.description))])]
                + (guarded ? [FirewallBatch(family: family, table: "raw", changes: [.deleteRules(chain: "PREROUTING", matching: .comment(mark))])] : [])
        }
    }

    /// The addresses an endpoint's published ports are forwarded to, one per family: what owns
    /// its DNAT rules.
    static func publishedAddresses(of endpoint: EndpointRecord) -> [(family: IPFamily, address: IPAddress)] {
        [(IPFamily.v4, endpoint.ipv4Address), (.v6, endpoint.ipv6Address)].compactMap { family, address in
            address.map { (family, $0) }
        }
    }

    /// swnet's chains and the jumps into them, created when missing.
    private func base(_ family: IPFamily, table: String) -> FirewallBatch {
        if table == "nat" {
            let jump = rule(jumpMark(Self.natChain), .jump(Self.natChain)) { $0.destinationIsLocal = true }
            return FirewallBatch(family: family, table: table, changes: [
                .ensureChain(Self.natChain),
                .ensureRule(chain: "PREROUTING", rule: jump, position: 0),
                .ensureRule(chain: "OUTPUT", rule: jump, position: 0),
            ])
        }
        return FirewallBatch(family: family, table: table, changes: [
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
