import KernelOps

/// A kernel double that records every call and can be told to fail one of them.
final class RecordingKernel: KernelOperations, @unchecked Sendable {
    struct Failure: Error {}

    private(set) var calls: [String] = []
    /// A call whose name starts with this fails (and is recorded as attempted).
    var failOn: String?
    var prefixes: [String] = []
    var existingLinks: Set<String> = []
    var busyPorts: Set<UInt16> = []
    /// What `applyFirewall` says the rules it deleted had matched.
    var deletedRulePackets: UInt64 = 0

    private func record(_ call: String) throws {
        calls.append(call)
        if let failOn, call.hasPrefix(failOn) {
            throw KernelError("do", call, .errno(.ioError))
        }
    }

    func createNamespace(at path: String) throws { try record("createNamespace \(path)") }
    func removeNamespace(at path: String) throws { try record("removeNamespace \(path)") }
    func namespaceExists(at path: String) -> Bool { true }
    func prepareSandbox(inNamespace path: String) throws { try record("prepareSandbox \(path)") }
    func createBridge(_ spec: BridgeSpec) throws {
        try record("createBridge \(spec.name) \(spec.addresses.joined(separator: ","))")
    }
    func deleteLink(named name: String) throws { try record("deleteLink \(name)") }
    func linkExists(named name: String) throws -> Bool { existingLinks.contains(name) }
    private(set) var lastVethHostName: String?
    func attachVeth(_ attachment: VethAttachment) throws {
        lastVethHostName = attachment.veth.hostName
        try record("attachVeth \(attachment.veth.peerName) \(attachment.addresses.joined(separator: ",")) via \(attachment.defaultGateways.joined(separator: ","))")
    }
    func addDefaultRoute(inNamespace path: String, via gateway: String, device: String) throws {
        try record("addDefaultRoute \(gateway) \(device)")
    }
    func hostPrefixes() throws -> [String] { prefixes }
    func hostAddresses() throws -> [String] { ["127.0.0.1", "::1"] }
    func applyFirewall(_ batches: [FirewallBatch]) throws -> UInt64 {
        try record("applyFirewall " + batches.map { "\($0.family.rawValue)/\($0.table)" }.joined(separator: ","))
        return deletedRulePackets
    }
    func isPortFree(_ transport: FirewallRule.TransportProtocol, address: String?, port: UInt16) -> Bool {
        !busyPorts.contains(port)
    }
    func ephemeralPortRange() throws -> ClosedRange<UInt16> { 40000...40009 }
    func flushConnections(repliesFrom address: String) throws { try record("flushConnections \(address)") }
    func swnetLinks(unmarkedVethPrefix: String) throws -> [(name: String, mark: String?)] { [] }
    func firewallMarks() throws -> [FirewallMark] { [] }
    func portForwardingFamilies() throws -> Set<IPFamily> { [] }
    func portForwards() throws -> [(family: IPFamily, forward: PortForward)] { [] }
    func setSysctl(_ key: String, to value: String) throws { try record("setSysctl \(key)=\(value)") }
}
