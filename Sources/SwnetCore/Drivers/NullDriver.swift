import KernelOps

/// The `null` driver: endpoints get no interface, so a sandbox on it has only `lo`.
struct NullDriver: NetworkDriver {
    let name = "null"
    let usesIPAM = false

    func configure(_ network: inout NetworkRecord, options: [String: String],
                   existing: [NetworkRecord], kernel: any KernelOperations) throws(SwnetError) {
        if let key = options.keys.sorted().first {
            throw .invalid("option \"\(key)\" is not supported by the null driver", hint: "remove --opt \(key)")
        }
    }

    func differences(_ network: NetworkRecord, options: [String: String]) -> [String] {
        options.keys.sorted().map { "no option \($0)" }
    }

    func createNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError) {}
    func deleteNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError) {}
    func join(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
              providesGateway: Bool, in transaction: Transaction) throws(SwnetError) {}
    func leave(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
               providesGateway: Bool, namespaceGoing: Bool, in transaction: Transaction) throws(SwnetError) {}
    func restoreNetwork(_ network: NetworkRecord, in transaction: Transaction) throws(SwnetError) -> [String] { [] }
    func restoreJoin(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                     providesGateway: Bool, in transaction: Transaction) throws(SwnetError) -> String? { nil }
    func takeOverGateway(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                         in transaction: Transaction) throws(SwnetError) {}
}
