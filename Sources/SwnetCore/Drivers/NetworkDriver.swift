import KernelOps

/// What a network driver does to the kernel; the controller does the bookkeeping around it.
///
/// A new driver (macvlan, host, overlay) is a new file with a new conformance, listed in
/// `NetworkDrivers.all`; nothing else changes.
protocol NetworkDriver: Sendable {
    /// The name users pass to `--driver`.
    var name: String { get }
    /// Whether the driver's networks have subnets and hand addresses to endpoints.
    var usesIPAM: Bool { get }

    /// Checks the driver options and records them, in their short spellings, in `network`.
    func configure(_ network: inout NetworkRecord, options: [String: String],
                   existing: [NetworkRecord], kernel: any KernelOperations) throws(SwnetError)
    /// How `network`'s recorded options differ from the given ones (in any spelling `configure`
    /// takes), one phrase per difference.
    func differences(_ network: NetworkRecord, options: [String: String]) -> [String]
    /// Creates the network's kernel objects; `others` are the networks that already exist.
    func createNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError)
    func deleteNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError)
    /// Gives the sandbox its interface for the endpoint; `providesGateway` asks for the sandbox's
    /// default routes too.
    func join(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
              providesGateway: Bool, in transaction: Transaction) throws(SwnetError)
    /// Takes the endpoint's interface out of the sandbox. With `namespaceGoing`, the sandbox's
    /// namespace is about to be destroyed with everything in it, so only host-side state
    /// (firewall rules) is removed.
    func leave(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
               providesGateway: Bool, namespaceGoing: Bool, in transaction: Transaction) throws(SwnetError)
    /// Re-creates what the kernel lacks of a network (after a reboot) and re-applies its firewall
    /// rules; returns a line per re-creation.
    func restoreNetwork(_ network: NetworkRecord, in transaction: Transaction) throws(SwnetError) -> [String]
    /// The same for one joined endpoint; nil when nothing had to be re-created.
    func restoreJoin(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                     providesGateway: Bool, in transaction: Transaction) throws(SwnetError) -> String?
    /// Installs the default routes of `endpoint` (already joined) in its sandbox, when the
    /// endpoint that had them leaves.
    func takeOverGateway(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                         in transaction: Transaction) throws(SwnetError)
}

/// The drivers this build knows.
enum NetworkDrivers {
    static let all: [any NetworkDriver] = [BridgeDriver(), NullDriver()]

    static func named(_ name: String) throws(SwnetError) -> any NetworkDriver {
        guard let driver = all.first(where: { $0.name == name }) else {
            throw .invalid("unknown driver \"\(name)\"",
                           hint: "use one of: \(all.map(\.name).joined(separator: ", "))")
        }
        return driver
    }
}
