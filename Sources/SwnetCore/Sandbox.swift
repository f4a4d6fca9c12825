import Glibc
import KernelOps

/// A setting of a new sandbox (libnetwork's `SandboxOption`s).
public enum SandboxOption: Sendable, Equatable {
    case hostname(String)
    case domainname(String)
    case dns(String)
    case dnsSearch(String)
    /// An extra line for /etc/hosts (`--add-host HOST:IP`).
    case extraHost(host: String, address: String)
    /// Adopt an existing namespace (`/proc/PID/ns/net`) instead of creating one; swnet never
    /// deletes an adopted namespace.
    case namespacePath(String)
    case label(String, String)
}

extension SandboxOption {
    /// The options for the settings `sandbox create` and a topology file give, in that order;
    /// `extraHosts` are `HOST:IP` (an IPv6 address keeps its colons).
    public static func settings(hostname: String?, domainname: String?, dns: [String], dnsSearch: [String],
                                extraHosts: [String], labels: [String: String]) throws(SwnetError) -> [SandboxOption] {
        var settings: [SandboxOption] = []
        if let hostname { settings.append(.hostname(hostname)) }
        if let domainname { settings.append(.domainname(domainname)) }
        settings += dns.map { .dns($0) }
        settings += dnsSearch.map { .dnsSearch($0) }
        for entry in extraHosts {
            guard let colon = entry.firstIndex(of: ":") else {
                throw .invalid("invalid --add-host \"\(entry)\"", hint: "write it as HOST:IP")
            }
            settings.append(.extraHost(host: String(entry[..<colon]), address: String(entry[entry.index(after: colon)...])))
        }
        settings += labels.sorted { $0.key < $1.key }.map { .label($0.key, $0.value) }
        return settings
    }
}

/// A network a new sandbox is connected to as it is made (`sandbox create --network`): its
/// endpoint is named SANDBOX.NETWORK, as `connect` names it.
public struct NetworkConnection: Sendable {
    /// The network (name or id prefix).
    public var network: String
    public var options: EndpointOptions

    public init(network: String, options: EndpointOptions = EndpointOptions()) {
        self.network = network
        self.options = options
    }
}

/// A sandbox (libnetwork's `Sandbox`): a container's network stack.
public struct Sandbox {
    public let controller: Controller
    public let record: SandboxRecord

    public var name: String { record.name }
    public var id: String { record.id }
    /// The network namespace file, to `setns` into or to pass to `ip netns exec`.
    public var key: String { record.key }

    /// Removes the sandbox: leaves every endpoint, removes those `connect` made.
    public func delete() throws(SwnetError) {
        try controller.deleteSandbox(id)
    }
}

extension Controller {
    /// Creates a sandbox with its own network namespace (libnetwork's `NewSandbox`); the
    /// container id is its name.
    ///
    /// Each of `connections` is then connected as `connect` connects a network, in order and in
    /// the same transaction, so a failure anywhere leaves neither the sandbox nor any endpoint.
    /// One call does in one process what `docker run --network N -p P` asks of its daemon.
    public func newSandbox(containerID name: String, options settings: [SandboxOption] = [],
                           connectingTo connections: [NetworkConnection] = []) throws(SwnetError) -> Sandbox {
        let requested = try sandboxRecord(name: name, settings: settings)
        let record = try mutate { (transaction) throws(SwnetError) -> SandboxRecord in
            try createSandbox(requested, connectingTo: connections, in: transaction)
        }
        return Sandbox(controller: self, record: record)
    }

    /// Creates a sandbox, connected to `connections`, unless one of that name exists with every
    /// setting given and an endpoint on each of those networks with every setting given there
    /// (`sandbox create --ignore`); one that differs is a conflict naming the differences.
    /// Returns the sandbox and whether it was created.
    public func ensureSandbox(containerID name: String, options settings: [SandboxOption] = [],
                              connectingTo connections: [NetworkConnection] = []) throws(SwnetError) -> (sandbox: Sandbox, created: Bool) {
        let requested = try sandboxRecord(name: name, settings: settings)
        let (record, created) = try mutate { (transaction) throws(SwnetError) -> (SandboxRecord, Bool) in
            guard let existing = try transaction.load(SandboxRecord.self, named: name) else {
                return (try createSandbox(requested, connectingTo: connections, in: transaction), true)
            }
            var differences = existing.differences(from: requested, settings: settings)
            let endpoints = members(of: existing, in: transaction)
            for connection in connections {
                let network = try find(NetworkRecord.self, connection.network, in: transaction)
                if let endpoint = endpoints.first(where: { $0.networkID == network.id }) {
                    let found = try endpoint.differences(network: network, options: connection.options)
                    if !found.isEmpty { differences.append("on network \(network.name): " + found.joined(separator: ", ")) }
                } else {
                    differences.append("not on network \(network.name)")
                }
            }
            if !differences.isEmpty {
                throw .conflict("sandbox \"\(name)\" exists with another configuration",
                                why: differences.joined(separator: "; "), hint: "remove it first, or change the request to match")
            }
            return (existing, false)
        }
        return (Sandbox(controller: self, record: record), created)
    }

    /// Makes a sandbox, then connects it to each of `connections`; returns its record as the
    /// joins leave it.
    private func createSandbox(_ record: SandboxRecord, connectingTo connections: [NetworkConnection],
                               in transaction: Transaction) throws(SwnetError) -> SandboxRecord {
        try createSandbox(record, in: transaction)
        var sandbox = record
        for connection in connections {
            let network = try find(NetworkRecord.self, connection.network, in: transaction)
            _ = try connect(network, sandbox, endpointName: nil, options: connection.options, interfaceName: nil, in: transaction)
            // The join added the endpoint to the sandbox: the next one must see it.
            sandbox = try find(SandboxRecord.self, record.name, in: transaction)
        }
        return sandbox
    }

    /// A new sandbox's record, checked.
    func sandboxRecord(name: String, settings: [SandboxOption]) throws(SwnetError) -> SandboxRecord {
        try Identifiers.validateName(name, of: .sandbox)
        var record = SandboxRecord(
            id: Identifiers.newID(), name: name, created: Controller.now(),
            key: options.netnsDirectory + "/" + name, ownsNamespace: true, hostname: nil, domainname: nil,
            dns: [], dnsSearch: [], extraHosts: [], labels: [:], endpoints: [])
        for setting in settings {
            try apply(setting, to: &record)
        }
        return record
    }

    /// Makes (or adopts) the sandbox's namespace and writes its files.
    func createSandbox(_ record: SandboxRecord, in transaction: Transaction) throws(SwnetError) {
        let name = record.name
        if try transaction.load(SandboxRecord.self, named: name) != nil {
            throw .conflict("sandbox \"\(name)\" already exists", hint: "choose another name or remove it first")
        }
        let kernel = transaction.kernel
        let key = record.key
        if record.ownsNamespace {
            if let stale = ((try? store.intentLog.notes()) ?? []).first(where: { $0.name == "netns-" + name }) {
                // A command that made or removed this sandbox's namespace was killed before
                // it finished (no sandbox of this name exists): the namespace is swnet's.
                try transaction.step(.removeNamespace, "remove namespace \(stale.path) left by an interrupted command", undo: nil) {
                    try kernel.removeNamespace(at: stale.path)
                }
            }
            if access(key, F_OK) == 0 {
                throw .conflict("a network namespace \(key) already exists", why: "swnet did not make it",
                                hint: "choose another sandbox name, or adopt it with --netns \(key)")
            }
            try transaction.recordIntent("netns-" + name, key)
            try transaction.step(.createNamespace, "create network namespace \(key)", undo: { try kernel.removeNamespace(at: key) }) {
                try kernel.createNamespace(at: key)
            }
        } else if !kernel.namespaceExists(at: key) {
            throw .invalid("\(key) is not a network namespace", hint: "give --netns a path such as /proc/PID/ns/net")
        }
        try transaction.step(.prepareNamespace, "prepare network namespace \(key)", undo: nil) {
            try kernel.prepareSandbox(inNamespace: key)
        }
        transaction.save(record)
        SandboxFiles.writeAll(for: record, options: options, in: transaction)
    }

    public func sandbox(_ reference: String) throws(SwnetError) -> Sandbox {
        Sandbox(controller: self, record: try read { (transaction) throws(SwnetError) in
            try find(SandboxRecord.self, reference, in: transaction)
        })
    }

    public func sandboxes() throws(SwnetError) -> [SandboxRecord] {
        try read { (transaction) throws(SwnetError) in try transaction.loadAll(SandboxRecord.self) }
    }

    /// Gives an existing sandbox new settings (hostname, DNS, extra hosts, labels). They live in
    /// its record and files, not in the kernel, so the namespace and its interfaces stay.
    func updateSandbox(_ existing: SandboxRecord, to settings: [SandboxOption], in transaction: Transaction) throws(SwnetError) {
        var record = try sandboxRecord(name: existing.name, settings: settings)
        record.id = existing.id
        record.created = existing.created
        record.key = existing.key
        record.ownsNamespace = existing.ownsNamespace
        record.endpoints = existing.endpoints
        transaction.save(record)
        SandboxFiles.writeResolvConf(for: record, options: options, in: transaction)
        // Its hostname is one of its names on every network it is on.
        transaction.namesChanged(network: nil, sandbox: record)
    }

    /// Removes a sandbox: its endpoints leave (those `connect` made are removed), then its
    /// namespace (unless adopted) and its files go.
    public func deleteSandbox(_ reference: String) throws(SwnetError) {
        try mutate { (transaction) throws(SwnetError) in
            try removeSandbox(try find(SandboxRecord.self, reference, in: transaction), in: transaction)
        }
    }

    /// Removes every sandbox with no endpoint joined whose labels match `labels` (each `key`
    /// alone or `key=value`). Returns the names removed.
    public func pruneSandboxes(labels: [String] = []) throws(SwnetError) -> [String] {
        try mutate { (transaction) throws(SwnetError) -> [String] in
            var removed: [String] = []
            for sandbox in try transaction.loadAll(SandboxRecord.self)
            where sandbox.endpoints.isEmpty && Labels.match(sandbox.labels, filters: labels) {
                try removeSandbox(sandbox, in: transaction)
                removed.append(sandbox.name)
            }
            return removed
        }
    }

    func removeSandbox(_ sandbox: SandboxRecord, in transaction: Transaction) throws(SwnetError) {
            // An owned namespace takes both ends of every veth with it when it is unbound; the
        // kernel does that in the background, while deleting each veth first would wait
        // ~20 ms per interface for an RCU grace period. An adopted namespace lives on, so its
        // interfaces are taken out one by one.
        for id in sandbox.endpoints.reversed() {
            // An endpoint that is gone already has nothing left to take out.
            guard let endpoint = try? find(EndpointRecord.self, id, in: transaction) else { continue }
            if endpoint.createdByConnect {
                try removeEndpoint(endpoint, namespaceGoing: sandbox.ownsNamespace, in: transaction)
            } else {
                try leave(endpoint, namespaceGoing: sandbox.ownsNamespace, in: transaction)
            }
        }
        if sandbox.ownsNamespace {
            // Should the command die between its commit and this removal, the note lets
            // `swnet system gc` finish the job.
            let kernel = transaction.kernel
            try transaction.finally(.removeNamespace, "remove network namespace \(sandbox.key)",
                                    intent: ("netns-" + sandbox.name, sandbox.key)) {
                try kernel.removeNamespace(at: sandbox.key)
            }
        }
        SandboxFiles.removeAll(for: sandbox, options: options, in: transaction)
        transaction.delete(sandbox)
    }

    private func apply(_ setting: SandboxOption, to record: inout SandboxRecord) throws(SwnetError) {
        switch setting {
        case .hostname(let name):
            try HostName.validate(name, what: "hostname")
            record.hostname = name
        case .domainname(let name):
            try HostName.validate(name, what: "domain name")
            record.domainname = name
        case .dns(let text):
            guard let address = IPAddress(text) else {
                throw .invalid("invalid --dns \"\(text)\"", hint: "give a nameserver's IP address")
            }
            record.dns.append(address)
        case .dnsSearch(let domain):
            try HostName.validate(domain, what: "search domain")
            record.dnsSearch.append(domain)
        case .extraHost(let host, let text):
            try HostName.validate(host, what: "--add-host name")
            guard let address = IPAddress(text) else {
                throw .invalid("invalid --add-host address \"\(text)\"", hint: "write it as HOST:IP")
            }
            record.extraHosts.append(ExtraHost(host: host, address: address))
        case .namespacePath(let path):
            guard path.hasPrefix("/"), !path.contains("\n") else {
                throw .invalid("invalid --netns \"\(path)\"", hint: "give an absolute path such as /proc/PID/ns/net")
            }
            record.key = path
            record.ownsNamespace = false
        case .label(let key, let value):
            record.labels[key] = value
            try Labels.validate(record.labels)
        }
    }
}

extension SandboxRecord {
    /// How this sandbox differs from `requested` in the settings given, one phrase each.
    func differences(from requested: SandboxRecord, settings: [SandboxOption]) -> [String] {
        var found: [String] = []
        func compare<Value: Equatable>(_ what: String, _ current: Value, _ wanted: Value, _ show: (Value) -> String) {
            if current != wanted { found.append("\(what) \(show(current)), not \(show(wanted))") }
        }
        let list = { (values: [String]) in values.isEmpty ? "(none)" : values.joined(separator: ",") }
        for setting in settings {
            switch setting {
            case .hostname: compare("hostname", hostname, requested.hostname) { $0 ?? "(none)" }
            case .domainname: compare("domain name", domainname, requested.domainname) { $0 ?? "(none)" }
            case .dns: compare("dns", dns.map(\.description), requested.dns.map(\.description), list)
            case .dnsSearch: compare("dns search", dnsSearch, requested.dnsSearch, list)
            case .extraHost: compare("extra hosts", extraHosts.map { "\($0.host):\($0.address)" },
                                     requested.extraHosts.map { "\($0.host):\($0.address)" }, list)
            case .namespacePath: compare("namespace", key, requested.key) { $0 }
            case .label(let key, let value): compare("label \(key)", labels[key], value) { $0 ?? "(none)" }
            }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }
}

/// Rules for host and domain names (RFC 1123 labels joined by dots).
enum HostName {
    static func validate(_ name: String, what: String) throws(SwnetError) {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !name.isEmpty && name.utf8.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        }
        guard valid else {
            throw .invalid("invalid \(what) \"\(name.unicodeScalars.map { $0.value < 0x20 ? "?" : String($0) }.joined())\"",
                           hint: "use letters, digits and '-', in dot-separated parts of at most 63 characters")
        }
    }
}
