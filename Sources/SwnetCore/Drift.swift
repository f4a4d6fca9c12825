import KernelOps

/// One difference between swnet's state and the kernel, as `swnet system check` reports it.
public struct Drift: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// In the state, not in the kernel: `swnet system restore` re-creates it (`swnet system
        /// gc` too, for the interface or ports of a join that a killed command was undoing).
        case missing
        /// Marked as swnet's in the kernel (or a note in the state directory), unknown to the
        /// state: `swnet system gc` removes it.
        case leftover
        /// A state file that cannot be read.
        case damaged
        /// A record pointing at an object that does not exist: `swnet system gc` removes it.
        case orphan
    }

    public var kind: Kind
    public var object: String

    public var description: String { "\(kind.rawValue): \(object)" }
}

/// A port forward with the family of the table it is in.
struct FamilyForward: Hashable {
    var family: IPFamily
    var forward: PortForward
}

/// What `check` saw, with what `gc` needs to act on it.
struct Survey {
    var drift: [Drift] = []
    var leftoverLinks: [String] = []
    var leftoverRules: [FirewallMark] = []
    var leftoverForwards: [FamilyForward] = []
    /// Families whose swnet chains and jumps no network needs any more.
    var unusedFamilies: Set<IPFamily> = []
    /// Families with the nat chain an older swnet forwarded ports with.
    var legacyNATFamilies: Set<IPFamily> = []
    /// Families whose nftables table no network needs.
    var unusedForwardingTables: Set<IPFamily> = []
    var interruptedNamespaces: [(note: IntentNote, path: String)] = []
    /// Notes whose sandbox was committed after all (the command died between its two writes).
    var staleNotes: [IntentNote] = []
    var temporaryFiles: [String] = []
    var orphanAllocations: [AddressAllocation] = []
    var orphanReservations: [PortReservation] = []
    /// Joined endpoints whose sandbox is there but whose interface or published ports are not:
    /// what a `leave`, `disconnect` or `rm` killed between its kernel steps and its commit
    /// leaves. The commit never happened, so the join stands and its parts are put back.
    var brokenJoins: [(endpoint: EndpointRecord, sandbox: SandboxRecord)] = []
}

/// Where a note of a namespace in the making or removing is kept: a line of the intent log, or
/// a file of its own as earlier versions kept them.
enum IntentNote {
    case inLog(String)
    case file(String)

    func drop(in transaction: Transaction) {
        switch self {
        case .inLog(let name): transaction.dropIntents([name])
        case .file(let path): transaction.removeFile(path)
        }
    }
}

extension Controller {
    /// Every difference between the state and the kernel (empty when they agree).
    public func check() throws(SwnetError) -> [Drift] {
        try read { (transaction) throws(SwnetError) in try survey(transaction).drift }
    }

    /// Undoes what interrupted commands left: removes kernel objects carrying swnet's mark that
    /// the state does not know, namespaces of interrupted commands, temporary files and records
    /// pointing at nothing, and puts back the interface or published ports of a join whose
    /// removal was cut short (its sandbox still there). Nothing without swnet's mark is touched.
    /// Returns a line per change.
    public func collectGarbage() throws(SwnetError) -> [String] {
        try mutate { (transaction) throws(SwnetError) -> [String] in
            let survey = try survey(transaction)
            let kernel = transaction.kernel
            var done: [String] = []
            for link in survey.leftoverLinks {
                try transaction.step(.restore, "delete leftover link \(link)", undo: nil) { try kernel.deleteLink(named: link) }
                done.append("removed link \(link)")
            }
            var batches: [FirewallBatch] = []
            for mark in survey.leftoverRules {
                let change = FirewallChange.deleteRules(chain: mark.chain, matching: mark.selector)
                if let index = batches.firstIndex(where: { $0.family == mark.family && $0.table == mark.table }) {
                    batches[index].changes.append(change)
                } else {
                    batches.append(FirewallBatch(family: mark.family, table: mark.table, changes: [change]))
                }
                done.append("removed \(mark.family == .v4 ? "iptables" : "ip6tables") rule \(mark.selector) from \(mark.table)/\(mark.chain)")
            }
            // Chains last, once the rules jumping to them are gone.
            for family in survey.unusedFamilies.sorted(by: { $0.rawValue < $1.rawValue }) {
                batches.append(FirewallBatch(family: family, table: "filter", changes: [
                    .deleteChain(BridgeFirewall.forwardChain), .deleteChain(BridgeFirewall.isolationStage1),
                    .deleteChain(BridgeFirewall.isolationStage2)]))
            }
            for family in survey.legacyNATFamilies.sorted(by: { $0.rawValue < $1.rawValue }) {
                batches.append(FirewallBatch(family: family, table: "nat", changes: [.deleteChain(BridgeFirewall.legacyNATChain)]))
            }
            for leftover in survey.leftoverForwards where !survey.unusedForwardingTables.contains(leftover.family) {
                batches.append(FirewallBatch(family: leftover.family, table: PortForward.table, changes: [.stopForwarding(leftover.forward)]))
                done.append("removed port forward \(leftover.forward)")
            }
            for family in survey.unusedForwardingTables.sorted(by: { $0.rawValue < $1.rawValue }) {
                batches.append(FirewallBatch(family: family, table: PortForward.table, changes: [.removePortForwarding]))
                done.append("removed nftables table \(family == .v4 ? "ip" : "ip6") \(PortForward.table)")
            }
            if !batches.isEmpty {
                try transaction.step(.restore, "remove leftover firewall rules", undo: nil) { try kernel.applyFirewall(batches) }
            }
            for (note, path) in survey.interruptedNamespaces {
                try transaction.step(.restore, "remove namespace \(path) of an interrupted command", undo: nil) {
                    try kernel.removeNamespace(at: path)
                }
                note.drop(in: transaction)
                done.append("removed namespace \(path)")
            }
            for note in survey.staleNotes {
                note.drop(in: transaction)
            }
            for file in survey.temporaryFiles {
                transaction.removeFile(file)
                done.append("removed \(file)")
            }
            for record in survey.orphanAllocations {
                transaction.delete(record)
                done.append("released address record \(record.name)")
            }
            for record in survey.orphanReservations {
                transaction.delete(record)
                done.append("released port record \(record.name)")
            }
            for (endpoint, sandbox) in survey.brokenJoins {
                _ = try restoreJoins(of: sandbox, only: [endpoint.id], in: transaction)
                done.append("put back the interface and ports of endpoint \"\(endpoint.name)\" in sandbox \"\(sandbox.name)\"")
            }
            return done
        }
    }

    private func survey(_ transaction: Transaction) throws(SwnetError) -> Survey {
        var survey = Survey()
        for (path, why) in store.damagedFiles() {
            survey.drift.append(Drift(kind: .damaged, object: "\(path) (\(why))"))
        }
        survey.temporaryFiles = store.temporaryFiles()
        survey.drift += survey.temporaryFiles.map { Drift(kind: .leftover, object: "temporary file \($0)") }
        let networks = store.loadReadable(NetworkRecord.self)
        let endpoints = store.loadReadable(EndpointRecord.self)
        let sandboxes = store.loadReadable(SandboxRecord.self)
        let known = Set(networks.map(\.id) + endpoints.map(\.id))
        let endpointIDs = Set(endpoints.map(\.id))

        let links: [(name: String, mark: String?)]
        let marks: [FirewallMark]
        let forwards: Set<FamilyForward>
        let forwardingTables: Set<IPFamily>
        do {
            links = try kernel.swnetLinks(unmarkedVethPrefix: EndpointRecord.hostInterfacePrefix)
            marks = try kernel.firewallMarks()
            forwardingTables = try kernel.portForwardingFamilies()
            forwards = Set(try kernel.portForwards().map { FamilyForward(family: $0.family, forward: $0.forward) })
        } catch let error as KernelError {
            throw .kernel(error, while: "read swnet's links, firewall rules and port forwards")
        } catch {
            throw SwnetError(.system, "cannot read swnet's links, firewall rules and port forwards", why: "\(error)")
        }
        let bridges = networks.filter { $0.driver == "bridge" }
        for network in bridges {
            if !links.contains(where: { $0.name == network.bridgeName && $0.mark == "swnet:" + network.id }) {
                survey.drift.append(Drift(kind: .missing, object: "bridge \(network.bridgeName ?? "") of network \"\(network.name)\""))
            }
            for family in firewallFamilies(of: network)
            where !marks.contains(FirewallMark(family: family, table: "filter", chain: BridgeFirewall.forwardChain,
                                               selector: .comment("swnet:" + network.id))) {
                survey.drift.append(Drift(kind: .missing, object: "\(family == .v4 ? "IPv4" : "IPv6") firewall rules of network \"\(network.name)\""))
            }
        }
        for sandbox in sandboxes where !kernel.namespaceExists(at: sandbox.key) {
            survey.drift.append(Drift(kind: .missing, object: "namespace \(sandbox.key) of sandbox \"\(sandbox.name)\""))
        }
        for endpoint in endpoints where endpoint.sandboxID != nil {
            guard let network = networks.first(where: { $0.id == endpoint.networkID }), network.driver == "bridge" else { continue }
            var broken = false
            if let host = endpoint.hostInterfaceName, !links.contains(where: { $0.name == host }) {
                survey.drift.append(Drift(kind: .missing, object: "interface \(host) of endpoint \"\(endpoint.name)\""))
                broken = true
            }
            if !BridgeFirewall.portForwards(of: endpoint).allSatisfy(forwards.contains) {
                survey.drift.append(Drift(kind: .missing, object: "published ports of endpoint \"\(endpoint.name)\""))
                broken = true
            }
            // With its namespace gone too (a reboot), the whole sandbox is restore's to re-create.
            if broken, let sandbox = sandboxes.first(where: { $0.id == endpoint.sandboxID }), kernel.namespaceExists(at: sandbox.key) {
                survey.brokenJoins.append((endpoint, sandbox))
            }
        }

        // The links the records account for: each bridge network's bridge and each joined
        // endpoint's veth, under its mark. Any other of swnet's was left by an interrupted
        // command, including a veth marked as an endpoint's that the endpoint never joined with.
        let accounted = Set(bridges.compactMap { network in network.bridgeName.map { "\($0) swnet:\(network.id)" } }
            + endpoints.compactMap { endpoint in endpoint.hostInterfaceName.map { "\($0) \(endpoint.mark)" } })
        for link in links where !accounted.contains("\(link.name) \(link.mark ?? "")") {
            survey.leftoverLinks.append(link.name)
            survey.drift.append(Drift(kind: .leftover, object: "link \(link.name) (\(link.mark ?? "unmarked: its command was interrupted"))"))
        }
        let chainMarks = Set([BridgeFirewall.forwardChain, BridgeFirewall.isolationStage1,
                              BridgeFirewall.isolationStage2].map { "swnet:" + $0 })
        let familiesInUse = bridges.reduce(into: Set<IPFamily>()) { $0.formUnion(firewallFamilies(of: $1)) }
        for mark in marks {
            switch mark.selector {
            case .comment(let comment) where chainMarks.contains(comment):
                if familiesInUse.contains(mark.family) { continue }
            case .comment(let comment):
                if known.contains(String(comment.dropFirst(6))) { continue }
            case .dnatTarget:
                // Ports are forwarded by nftables now: an older swnet's DNAT rule goes.
                break
            }
            survey.leftoverRules.append(mark)
            survey.drift.append(Drift(kind: .leftover, object: "\(mark.family == .v4 ? "iptables" : "ip6tables") rule \(mark.selector) in \(mark.table)/\(mark.chain)"))
        }
        survey.unusedFamilies = Set(survey.leftoverRules.filter {
            if case .comment(let comment) = $0.selector { chainMarks.contains(comment) } else { false }
        }.map(\.family))
        let legacyJump = "swnet:" + BridgeFirewall.legacyNATChain
        survey.legacyNATFamilies = Set(survey.leftoverRules.filter {
            $0.chain == BridgeFirewall.legacyNATChain || $0.selector == .comment(legacyJump)
        }.map(\.family))
        // A forward is a joined endpoint's, to its address, of a port it publishes: anything
        // else was left by an interrupted command.
        let joined = endpoints.filter { endpoint in
            endpoint.sandboxID != nil && bridges.contains { $0.id == endpoint.networkID }
        }
        let wanted = Set(joined.flatMap(BridgeFirewall.portForwards(of:)))
        for leftover in forwards.subtracting(wanted).sorted(by: { "\($0.forward)" < "\($1.forward)" }) {
            survey.leftoverForwards.append(leftover)
            survey.drift.append(Drift(kind: .leftover, object: "port forward \(leftover.forward)"))
        }
        for family in IPFamily.allCases {
            let table = "nftables table \(family == .v4 ? "ip" : "ip6") \(PortForward.table)"
            if familiesInUse.contains(family) && !forwardingTables.contains(family) {
                survey.drift.append(Drift(kind: .missing, object: table))
            } else if !familiesInUse.contains(family) && forwardingTables.contains(family) {
                survey.unusedForwardingTables.insert(family)
                survey.drift.append(Drift(kind: .leftover, object: table))
            }
        }

        let notes = ((try? store.intentLog.notes()) ?? []).map { (IntentNote.inLog($0.name), $0.path) }
            + store.notesInFiles().map { (IntentNote.file($0.file), $0.path) }
        for (note, path) in notes {
            if sandboxes.contains(where: { $0.key == path }) {
                survey.staleNotes.append(note)
            } else {
                survey.interruptedNamespaces.append((note, path))
                survey.drift.append(Drift(kind: .leftover, object: "namespace \(path) of an interrupted command"))
            }
        }
        for record in store.loadReadable(AddressAllocation.self) where !endpointIDs.contains(record.endpointID) {
            survey.orphanAllocations.append(record)
            survey.drift.append(Drift(kind: .orphan, object: "address record \(record.name) of a missing endpoint"))
        }
        for record in store.loadReadable(PortReservation.self) where record.holders.contains(where: { !endpointIDs.contains($0.endpointID) }) {
            survey.orphanReservations.append(record)
            survey.drift.append(Drift(kind: .orphan, object: "port record \(record.name) of a missing endpoint"))
        }
        return survey
    }
}
