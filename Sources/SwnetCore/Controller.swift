import FoundationEssentials
import Glibc
import KernelOps

/// Where a controller keeps its state and puts its namespaces.
public struct ControllerOptions: Sendable {
    /// The JSON state (`--state-dir`).
    public var stateDirectory = "/var/lib/swnet"
    /// Where sandbox namespaces are bound (`--netns-dir`); `/run/netns` makes them visible to
    /// `ip netns`.
    public var netnsDirectory = "/run/netns"
    /// Where each sandbox's hosts and resolv.conf go; `ip netns exec` reads `/etc/netns/<name>`.
    public var etcNetnsDirectory = "/etc/netns"
    /// The pools automatic subnets come from.
    public var defaultAddressPools = IPAM.defaultPools
    /// How long a command waits for another one to release the state lock, in seconds.
    public var lockTimeout = 30.0
    /// The host's resolver configuration, copied into sandboxes without loopback nameservers.
    public var hostResolvConf = "/etc/resolv.conf"
    /// systemd-resolved's list of upstream servers, used when the host resolves via 127.0.0.53.
    public var upstreamResolvConf = "/run/systemd/resolve/resolv.conf"
    /// Makes mutating commands fail or crash at a named point, for tests (`SWNET_FAILPOINT`).
    public var failpoint: (Failpoint, Failpoint.Action)?

    public init() {}
}

/// The entry point of the Container Network Model, as libnetwork's `NetworkController`.
///
/// Each call loads the state it needs under the state lock, changes the kernel, and saves the
/// state before returning, so controllers in many processes can work on one host at once.
/// Handles it returns (`Network`, `Endpoint`, `Sandbox`) are snapshots; their methods act on the
/// current state of the object they name.
public final class Controller {
    public let options: ControllerOptions
    let kernel: any KernelOperations
    let store: StateStore
    /// Receives notices worth a user's attention that are not errors ("subnet overlaps a host
    /// route", "waiting for the lock").
    public var onWarning: (String) -> Void = { _ in }
    /// Receives a line per kernel step with its duration, when set (`--debug`).
    public var onDebug: ((String) -> Void)?

    public init(options: ControllerOptions = ControllerOptions(), kernel: any KernelOperations = LinuxKernel()) {
        self.options = options
        self.kernel = kernel
        self.store = StateStore(root: options.stateDirectory)
    }

    /// Runs a read-only body against a consistent view of the state.
    func read<T>(_ body: (Transaction) throws(SwnetError) -> T) throws(SwnetError) -> T {
        let transaction = Transaction(store: store, kernel: kernel)
        guard access(store.root, F_OK) == 0 else { return try body(transaction) }
        let lock = try StateLock(directory: store.root, exclusive: false, timeout: options.lockTimeout, onWait: onWarning)
        defer { withExtendedLifetime(lock) {} }
        // Readers finish an interrupted commit too, so they never see half of one; several may
        // do so at once, writing the same bytes. One that may not write reads what is there.
        _ = try? recover(Journal(in: store), exclusive: false)
        return try body(transaction)
    }

    /// Runs a mutating body: under the exclusive lock, kernel steps undone and nothing saved when
    /// it throws, everything saved when it returns.
    func mutate<T>(_ body: (Transaction) throws(SwnetError) -> T) throws(SwnetError) -> T {
        guard geteuid() == 0 else {
            throw SwnetError(.system, "must run as root", why: "swnet changes network namespaces, links and state in \(store.root)",
                             hint: "run it with sudo or as root")
        }
        try store.prepare()
        let lock = try StateLock(directory: store.root, exclusive: true, timeout: options.lockTimeout, onWait: onWarning)
        defer { withExtendedLifetime(lock) {} }
        // From here to the end of the commit or rollback, Ctrl-C and kill are held back: the
        // command finishes or undoes its work, then dies of the signal. (Waiting for the lock
        // stays interruptible.)
        var deferred = sigset_t()
        var previous = sigset_t()
        sigemptyset(&deferred)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&deferred, signal) }
        pthread_sigmask(SIG_BLOCK, &deferred, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        // A command killed in the middle of its commit: finish that commit first.
        let journal = Journal(in: store)
        if try recover(journal, exclusive: true) {
            onWarning("completed the commit of an interrupted command")
        }
        let transaction = Transaction(store: store, kernel: kernel, trace: onDebug, failpoint: options.failpoint)
        do {
            let result = try body(transaction)
            try refreshHostsFiles(in: transaction)
            try transaction.commit(through: journal)
            transaction.runFinalSteps().forEach(onWarning)
            return result
        } catch {
            transaction.rollback(report: onWarning)
            throw error
        }
    }

    /// Finishes the commit of a command killed in the middle of it, as `Journal.recover`; the
    /// name tables and hosts files, which its frame names without their content, are computed
    /// again from the records it leaves.
    private func recover(_ journal: Journal, exclusive: Bool) throws(SwnetError) -> Bool {
        try journal.recover(exclusive: exclusive) { () throws(SwnetError) in
            let transaction = Transaction(store: store, kernel: kernel)
            try rewriteAllHostsFiles(in: transaction)
            try transaction.writeThrough()
        }
    }

    /// Finds an object by name or by a unique id prefix of at least 4 hex digits.
    func find<Object: StoredObject>(_ type: Object.Type, _ reference: String, in transaction: Transaction) throws(SwnetError) -> Object {
        // Not `try? validateName`: swnet looks its own records up by id, which is no name, and
        // the error built for each such lookup cost `sandbox rm` 0.57 million instructions.
        if Identifiers.isValidName(reference),
           let object = try transaction.load(type, named: reference) {
            return object
        }
        if reference.utf8.count == Identifiers.idLength, let object = try transaction.load(type, id: reference) {
            return object
        }
        if Identifiers.isIDPrefix(reference) {
            let matches = try transaction.loadAll(type).filter { $0.id.hasPrefix(reference) }
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                throw .conflict("\(Object.kind.rawValue) id prefix \"\(reference)\" is ambiguous",
                                why: "it matches \(matches.map { "\"\($0.name)\"" }.joined(separator: ", "))",
                                hint: "type more of the id, or the name")
            }
            throw .notFound(Object.kind, reference)
        }
        try Identifiers.validateName(reference, of: Object.kind)
        throw .notFound(Object.kind, reference)
    }

    /// Finds an object of any kind by name or id prefix, for `swnet inspect`.
    public func inspect(_ reference: String) throws(SwnetError) -> any StoredObject {
        try read { (transaction) throws(SwnetError) -> any StoredObject in
            for kind in ObjectKind.userVisible {
                do throws(SwnetError) {
                    return try find(kind, reference, in: transaction)
                } catch where error.kind == .notFound {
                    continue
                }
            }
            throw SwnetError(.notFound, "no network, endpoint or sandbox named \"\(reference)\"",
                             hint: "see 'swnet network ls', 'swnet endpoint ls' and 'swnet sandbox ls'")
        }
    }

    private func find(_ kind: ObjectKind, _ reference: String, in transaction: Transaction) throws(SwnetError) -> any StoredObject {
        switch kind {
        case .network: return try find(NetworkRecord.self, reference, in: transaction)
        case .endpoint: return try find(EndpointRecord.self, reference, in: transaction)
        case .sandbox: return try find(SandboxRecord.self, reference, in: transaction)
        case .port, .address: throw .notFound(kind, reference)
        }
    }

    /// The names of every object of a kind, from the state directory's listing alone: no lock,
    /// no decoding, nothing when it cannot be read. For shell completion, which must be instant
    /// and may run without root.
    public func names(of kind: ObjectKind) -> [String] {
        ((try? store.names(of: kind)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The current time in ISO 8601 (UTC), for `created` fields. Formatted by hand:
    /// FoundationEssentials' ISO 8601 style first builds a calendar and reads the time zone
    /// database, ~0.2 ms of every command that creates something.
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
