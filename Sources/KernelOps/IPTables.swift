import CIPTables
import Glibc

/// The legacy iptables tables, through libiptc (libip4tc and libip6tc, each opened when a
/// command first changes that family's tables).
///
/// Each batch is one `iptc_init` … `iptc_commit`: a commit rewrites the whole table (about 2.4 µs
/// per rule already in it), so rules are never committed one by one. Commits hold
/// `/run/xtables.lock` as the iptables tools do, so swnet, iptables and Docker never interleave.
public struct IPTables: Sendable {
    /// How long to wait for another holder of the xtables lock, in seconds.
    public var lockTimeout: Double

    public init(lockTimeout: Double = 10) {
        self.lockTimeout = lockTimeout
    }

    /// Commits each batch; returns the packets the deleted rules had matched in their lifetime.
    @discardableResult
    public func apply(_ batches: [FirewallBatch]) throws -> UInt64 {
        guard !batches.isEmpty else { return 0 }
        let lock = try XtablesLock(timeout: lockTimeout)
        defer { withExtendedLifetime(lock) {} }
        var packets: UInt64 = 0
        for batch in batches {
            packets += try apply(batch)
        }
        return packets
    }

    /// What marks each rule of a chain as swnet's: its comment, and the address its DNAT target
    /// rewrites to, for the rules that have either; [] when the chain does not exist.
    public func marks(family: IPFamily, table: String, chain: String) throws -> [(comment: String?, dnatTarget: String?)] {
        let handle = try open(family, table)
        defer { swnet_fw_close(handle) }
        final class Collector { var marks: [(comment: String?, dnatTarget: String?)] = [] }
        let collector = Collector()
        let rc = withExtendedLifetime(collector) {
            swnet_fw_each_mark(handle, chain, { comment, address, context in
                guard let context else { return }
                Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().marks
                    .append((comment.map { String(cString: $0) }, address.map { String(cString: $0) }))
            }, Unmanaged.passUnretained(collector).toOpaque())
        }
        if rc == -ENOENT { return [] }
        guard rc >= 0 else { throw error(family, "read chain", "\(table)/\(chain)", -rc) }
        return collector.marks
    }

    private func apply(_ batch: FirewallBatch) throws -> UInt64 {
        // A concurrent commit by another tool makes ours fail with EAGAIN: start over from the
        // table as it is now.
        for attempt in 1...5 {
            let handle = try open(batch.family, batch.table)
            defer { swnet_fw_close(handle) }
            var packets: UInt64 = 0
            for change in batch.changes {
                try apply(change, to: handle, batch, deletedPackets: &packets)
            }
            let rc = swnet_fw_commit(handle)
            if rc == 0 { return packets }
            if rc != EAGAIN || attempt == 5 {
                throw error(batch.family, "commit table", batch.table, rc)
            }
        }
        return 0
    }

    private func apply(_ change: FirewallChange, to handle: OpaquePointer, _ batch: FirewallBatch,
                       deletedPackets: inout UInt64) throws {
        let where_ = { (chain: String) in "\(batch.table)/\(chain)" }
        switch change {
        case .ensureChain(let chain):
            if swnet_fw_chain_exists(handle, chain) == 0 {
                try check(swnet_fw_create_chain(handle, chain), batch.family, "create chain", where_(chain))
            }
        case .deleteChain(let chain):
            if swnet_fw_chain_exists(handle, chain) != 0 {
                try check(swnet_fw_delete_chain(handle, chain), batch.family, "delete chain", where_(chain))
            }
        case .addRule(let chain, let rule, let position):
            try add(rule, to: chain, at: position.map(Int32.init) ?? -1, handle, batch)
        case .ensureRule(let chain, let rule, let position):
            guard let comment = rule.comment else {
                throw error(batch.family, "ensure a rule without a comment in", where_(chain), EINVAL)
            }
            let count = withSelector(.comment(comment)) { swnet_fw_count_rules(handle, chain, $0) }
            guard count >= 0 else { throw error(batch.family, "read chain", where_(chain), -count) }
            if count == 0 {
                try add(rule, to: chain, at: Int32(position), handle, batch)
            }
        case .deleteRules(let chain, let selector):
            let count = withSelector(selector) { swnet_fw_delete_rules(handle, chain, $0, &deletedPackets) }
            guard count >= 0 || count == -ENOENT else {
                throw error(batch.family, "delete rules \(selector) from", where_(chain), -count)
            }
        case .ensurePortForwarding, .removePortForwarding, .forwardPort, .stopForwarding:
            throw error(batch.family, "apply a port forward to", batch.table, EINVAL)
        }
    }

    private func add(_ rule: FirewallRule, to chain: String, at position: Int32, _ handle: OpaquePointer,
                     _ batch: FirewallBatch) throws {
        let rc = withCRule(rule) { swnet_fw_add_rule(handle, chain, $0, position) }
        try check(rc, batch.family, "add rule\(rule.comment.map { " " + $0 } ?? "") to", "\(batch.table)/\(chain)")
    }

    private func open(_ family: IPFamily, _ table: String) throws -> OpaquePointer {
        var code: Int32 = 0
        guard let handle = swnet_fw_open(family.rawValue, table, &code) else {
            throw error(family, "open table", table, code)
        }
        return handle
    }

    private func check(_ rc: Int32, _ family: IPFamily, _ operation: String, _ object: String) throws {
        if rc != 0 { throw error(family, operation, object, rc) }
    }

    private func error(_ family: IPFamily, _ operation: String, _ object: String, _ code: Int32) -> KernelError {
        let tool = family == .v4 ? "iptables" : "ip6tables"
        return KernelError("\(operation) (\(tool), legacy)", object,
                           .netlink(code: code, message: String(cString: swnet_fw_strerror(family.rawValue, code))))
    }
}

/// Lends a selector to C as `struct swnet_fw_selector`, its string valid for the call.
private func withSelector<T>(_ selector: RuleSelector, _ body: (UnsafePointer<swnet_fw_selector>) -> T) -> T {
    switch selector {
    case .comment(let comment):
        comment.withCString { withUnsafePointer(to: swnet_fw_selector(comment: $0, dnat_address: nil), body) }
    case .dnatTarget(let address):
        address.withCString { withUnsafePointer(to: swnet_fw_selector(comment: nil, dnat_address: $0), body) }
    }
}

/// Lends a rule to C as `struct swnet_fw_rule`, its strings valid for the call.
private func withCRule<T>(_ rule: FirewallRule, _ body: (UnsafePointer<swnet_fw_rule>) -> T) -> T {
    withCStringCopies { c in
        var raw = swnet_fw_rule()
        raw.source = c(rule.source?.value)
        raw.source_inverted = rule.source?.inverted == true ? 1 : 0
        raw.destination = c(rule.destination?.value)
        raw.destination_inverted = rule.destination?.inverted == true ? 1 : 0
        raw.in_interface = c(rule.inInterface?.value)
        raw.in_inverted = rule.inInterface?.inverted == true ? 1 : 0
        raw.out_interface = c(rule.outInterface?.value)
        raw.out_inverted = rule.outInterface?.inverted == true ? 1 : 0
        raw.protocol = rule.transport?.number ?? 0
        raw.dport_first = rule.destinationPort ?? 0
        raw.dport_last = rule.destinationPort ?? 0
        for state in rule.connectionStates {
            switch state {
            case .established: raw.ctstate |= swnet_fw_CTSTATE_ESTABLISHED
            case .related: raw.ctstate |= swnet_fw_CTSTATE_RELATED
            case .dnat: raw.ctstate |= swnet_fw_CTSTATE_DNAT
            }
        }
        raw.comment = c(rule.comment)
        switch rule.verdict {
        case .jump(let chain):
            raw.verdict = Int32(SWNET_FW_JUMP.rawValue)
            raw.jump = c(chain)
        case .accept: raw.verdict = Int32(SWNET_FW_ACCEPT.rawValue)
        case .drop: raw.verdict = Int32(SWNET_FW_DROP.rawValue)
        case .return: raw.verdict = Int32(SWNET_FW_RETURN.rawValue)
        case .masquerade: raw.verdict = Int32(SWNET_FW_MASQUERADE.rawValue)
        }
        return body(&raw)
    }
}

/// `/run/xtables.lock`, taken the way `iptables -w` takes it, until released by deinit.
final class XtablesLock {
    static let path = "/run/xtables.lock"
    private let fd: Int32

    init(timeout: Double) throws {
        fd = open(Self.path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KernelError("open", Self.path, errno: errno) }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(fd)
                throw KernelError("lock", Self.path, errno: code)
            }
            guard waited < timeout else {
                close(fd)
                let holder = LockHolder.describe(path: Self.path) ?? "another iptables user"
                throw KernelError("take the xtables lock (held by \(holder) for \(Int(timeout))s)", Self.path, errno: ETIMEDOUT)
            }
            usleep(10_000)
            waited += 0.01
        }
    }

    deinit {
        close(fd)
    }
}
