import KernelOps

/// What a network's firewall needs from the kernel, as batches of changes the kernel layer
/// applies table by table: `BridgeFirewall` is the one conformance.
protocol Firewall: Sendable {
    /// Rules that let a bridge network work: masquerade, forwarding, isolation, icc. Idempotent:
    /// applying them again replaces the network's rules rather than adding copies.
    func setUp(_ network: NetworkRecord) -> [FirewallBatch]
    /// Removes the network's rules; with `last`, swnet's chains and jumps of those families too.
    func tearDown(_ network: NetworkRecord, lastOf families: Set<IPFamily>) -> [FirewallBatch]
    /// Rules that publish an endpoint's ports. Idempotent like `setUp`.
    func publish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch]
    func unpublish(_ endpoint: EndpointRecord, on network: NetworkRecord) -> [FirewallBatch]
}

/// The families a network's firewall rules exist in.
func firewallFamilies(of network: NetworkRecord) -> Set<IPFamily> {
    Set(network.ipam.map { $0.subnet.family == .v4 ? IPFamily.v4 : .v6 })
}
