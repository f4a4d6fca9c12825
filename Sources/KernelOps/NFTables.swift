import CNFTables
import Glibc

/// swnet's own nftables table, where published ports are forwarded (Sources/CNFTables).
///
/// Each batch is one nftables transaction. Adding or deleting a forward costs the same whatever
/// the number of forwards, unlike a legacy iptables commit.
public struct NFTables: Sendable {
    public init() {}

    /// Applies a batch of `PortForward.table`; returns the packets the removed forwards had
    /// matched in their lifetime.
    @discardableResult
    public func apply(_ batch: FirewallBatch) throws -> UInt64 {
        var adding: [PortForward] = []
        var removing: [PortForward] = []
        for change in batch.changes {
            switch change {
            case .ensurePortForwarding:
                try check(swnet_nft_ensure(batch.family.rawValue), batch.family, "create")
            case .removePortForwarding:
                try check(swnet_nft_remove(batch.family.rawValue), batch.family, "delete")
            case .forwardPort(let forward):
                adding.append(forward)
            case .stopForwarding(let forward):
                removing.append(forward)
            case .ensureChain, .deleteChain, .addRule, .ensureRule, .deleteRules:
                throw KernelError("apply an iptables change to", table(batch.family), errno: EINVAL)
            }
        }
        guard !adding.isEmpty || !removing.isEmpty else { return 0 }
        var packets: UInt64 = 0
        var rc = forward(batch.family, adding: adding, removing: removing, packets: &packets)
        if rc == -ENOENT && !adding.isEmpty {
            // The table is gone (`nft flush ruleset`, or networks made before it existed): what
            // it forwarded is gone with it, so make it again and add.
            try check(swnet_nft_ensure(batch.family.rawValue), batch.family, "create")
            rc = forward(batch.family, adding: adding, removing: removing, packets: &packets)
        }
        if rc == -ENOENT && adding.isEmpty { return 0 }
        try check(rc, batch.family, "change the port forwards of")
        return packets
    }

    /// Whether the family's table exists.
    public func exists(_ family: IPFamily) throws -> Bool {
        let rc = swnet_nft_exists(family.rawValue)
        try check(rc, family, "look up")
        return rc == 1
    }

    /// Every port forwarded in the family's table; none when the table does not exist.
    public func forwards(_ family: IPFamily) throws -> [PortForward] {
        final class Collector { var forwards: [PortForward] = [] }
        let collector = Collector()
        let rc = withExtendedLifetime(collector) {
            swnet_nft_list(family.rawValue, { raw, context in
                guard let raw, let context, let address = raw.pointee.address,
                      let transport = FirewallRule.TransportProtocol(number: raw.pointee.protocol) else { return }
                Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().forwards.append(PortForward(
                    hostAddress: raw.pointee.host_address.map { String(cString: $0) }, transport: transport,
                    hostPort: raw.pointee.host_port, address: String(cString: address), port: raw.pointee.port))
            }, Unmanaged.passUnretained(collector).toOpaque())
        }
        try check(rc, family, "list the port forwards of")
        return collector.forwards
    }

    private func forward(_ family: IPFamily, adding: [PortForward], removing: [PortForward], packets: inout UInt64) -> Int32 {
        withCForwards(adding, family) { added in
            withCForwards(removing, family) { removed in
                swnet_nft_apply(family.rawValue, added.baseAddress, added.count, removed.baseAddress, removed.count, &packets)
            }
        }
    }

    private func table(_ family: IPFamily) -> String {
        "nftables table \(family == .v4 ? "ip" : "ip6") \(PortForward.table)"
    }

    private func check(_ rc: Int32, _ family: IPFamily, _ operation: String) throws {
        if rc < 0 { throw KernelError(operation, table(family), errno: -rc) }
    }
}

/// Lends forwards to C as `struct swnet_nft_forward`s, their strings valid for the call.
private func withCForwards<T>(_ forwards: [PortForward], _ family: IPFamily,
                              _ body: (UnsafeBufferPointer<swnet_nft_forward>) -> T) -> T {
    withCStringCopies { c in
        let raw = forwards.map {
            swnet_nft_forward(family: family.rawValue, host_address: c($0.hostAddress), protocol: $0.transport.number,
                              host_port: $0.hostPort, address: c($0.address), port: $0.port)
        }
        return raw.withUnsafeBufferPointer(body)
    }
}
