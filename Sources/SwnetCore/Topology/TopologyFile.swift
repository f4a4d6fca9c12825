import FoundationEssentials

/// A topology file (`swnet up -f FILE`): the networks and sandboxes a test network needs.
///
/// The file is YAML (JSON is YAML too). Everything is checked before anything changes: an
/// unknown key, a wrong type, a bad address, a duplicate name or a reference to an undeclared
/// network is refused with the file, the line and the key. See swnet-topology(5).
public struct Topology: Sendable, Equatable {
    /// The topology's name: every object it makes carries the label `swnet.topology=<name>`.
    public var name: String
    public var networks: [NetworkSpec]
    public var sandboxes: [SandboxSpec]

    /// The label naming the topology an object belongs to.
    public static let projectLabel = "swnet.topology"
    /// The label holding a digest of the settings an object was made from, so that `up` can tell
    /// an edited object from an unchanged one.
    public static let digestLabel = "swnet.topology.digest"

    /// A network as the file declares it.
    public struct NetworkSpec: Codable, Sendable, Equatable {
        public var name: String
        public var driver = "bridge"
        public var subnets: [String] = []
        public var gateways: [String] = []
        public var ipRange: String?
        public var ipv6 = false
        public var `internal` = false
        public var mtu: UInt32?
        public var options: [String: String] = [:]
        public var labels: [String: String] = [:]
    }

    /// A sandbox as the file declares it.
    public struct SandboxSpec: Codable, Sendable, Equatable {
        public var name: String
        public var hostname: String?
        public var domainname: String?
        public var dns: [String] = []
        public var dnsSearch: [String] = []
        /// `host:ip` entries.
        public var extraHosts: [String] = []
        public var labels: [String: String] = [:]
        /// The networks it joins, in order: the first with a gateway gives its default route.
        public var connections: [ConnectionSpec] = []
    }

    /// A sandbox's place on one network.
    public struct ConnectionSpec: Codable, Sendable, Equatable {
        public var network: String
        public var ip: String?
        public var ip6: String?
        public var mac: String?
        public var aliases: [String] = []
        public var publish: [String] = []
    }

    public init(name: String, networks: [NetworkSpec] = [], sandboxes: [SandboxSpec] = []) {
        self.name = name
        self.networks = networks
        self.sandboxes = sandboxes
    }

    /// Reads and checks a topology file. The name is `project` when given, else the file's
    /// `name:`, else the file's base name without its extension.
    public static func load(path: String, project: String? = nil) throws(SwnetError) -> Topology {
        let bytes: [UInt8]?
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw SwnetError(.invalidArgument, "cannot read topology file \(path)", why: "\(error)", hint: "check the path given to -f")
        }
        guard let bytes else {
            throw SwnetError(.invalidArgument, "topology file \(path) does not exist", hint: "check the path given to -f")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), file: path, project: project)
    }

    /// Parses topology text; `file` names it in errors.
    public static func parse(_ text: String, file: String, project: String? = nil) throws(SwnetError) -> Topology {
        var reader = TopologyReader(file: file)
        return try reader.topology(text, project: project)
    }
}

/// Walks the YAML tree, checking every key and type, and remembering where each came from.
private struct TopologyReader {
    let file: String

    func error(_ node: YAMLNode?, _ message: String, hint: String = "see swnet-topology(5) for the file format") -> SwnetError {
        let line = node.map { ":\($0.line)" } ?? ""
        return SwnetError(.invalidArgument, "\(file)\(line): \(message)", hint: hint)
    }

    /// A check's error, placed at the node it is about.
    func error(_ node: YAMLNode, _ cause: SwnetError) -> SwnetError {
        error(node, cause.what + (cause.why.map { " (\($0))" } ?? ""), hint: cause.hint ?? "see swnet-topology(5)")
    }

    mutating func topology(_ text: String, project: String?) throws(SwnetError) -> Topology {
        let root: YAMLNode?
        do {
            root = try YAMLNode.parse(text)
        } catch {
            throw SwnetError(.invalidArgument, "\(file):\(error.line): invalid YAML: \(error.problem)", hint: "fix the file's syntax")
        }
        guard let root else { throw error(nil, "the file is empty", hint: "declare networks: and sandboxes:") }
        let top = try mapping(root, what: "the file", keys: ["name", "networks", "sandboxes"])
        var name = project
        if name == nil, let node = top["name"] {
            name = try string(node, key: "name")
        }
        if name == nil {
            let base = file.split(separator: "/").last.map(String.init) ?? file
            name = base.split(separator: ".").first.map(String.init) ?? base
        }
        let topologyName = name ?? ""
        do {
            try Identifiers.validateName(topologyName, of: .network)
        } catch {
            throw self.error(top["name"], "invalid topology name \"\(topologyName)\"",
                             hint: "use letters, digits, '_', '.' and '-', or give -p/--project")
        }
        var result = Topology(name: topologyName)
        if let node = top["networks"] {
            for (key, value) in try entries(node, what: "networks") {
                result.networks.append(try network(named: key, value))
            }
        }
        if let node = top["sandboxes"] {
            let declared = Set(result.networks.map(\.name))
            for (key, value) in try entries(node, what: "sandboxes") {
                result.sandboxes.append(try sandbox(named: key, value, declared: declared))
            }
        }
        return result
    }

    // MARK: Objects

    private func network(named name: YAMLNode, _ node: YAMLNode) throws(SwnetError) -> Topology.NetworkSpec {
        let networkName = try objectName(name, of: .network)
        var spec = Topology.NetworkSpec(name: networkName)
        guard !isEmpty(node) else { return spec }
        let what = "network \"\(networkName)\""
        let fields = try mapping(node, what: what, keys: ["driver", "subnet", "subnets", "gateway", "ip_range", "ipv6",
                                                         "internal", "mtu", "options", "labels"])
        if let value = fields["driver"] { spec.driver = try string(value, key: "driver") }
        if fields["subnet"] != nil && fields["subnets"] != nil {
            throw error(fields["subnets"], "\(what) has both subnet and subnets", hint: "give one of them")
        }
        for key in ["subnet", "subnets"] {
            guard let value = fields[key] else { continue }
            spec.subnets = try strings(value, key: key)
            for (text, item) in zip(spec.subnets, items(value)) where (try? Subnet(parsing: text)) == nil {
                throw error(item, "\(key) \"\(text)\" of \(what) is not a subnet", hint: "write it in CIDR form, such as 10.1.0.0/24")
            }
        }
        if let value = fields["gateway"] {
            spec.gateways = try strings(value, key: "gateway")
            try checkAddresses(spec.gateways, value, key: "gateway", of: what)
        }
        if let value = fields["ip_range"] {
            let text = try string(value, key: "ip_range")
            guard (try? Subnet(parsing: text)) != nil else {
                throw error(value, "ip_range \"\(text)\" of \(what) is not a subnet", hint: "write it in CIDR form")
            }
            spec.ipRange = text
        }
        if let value = fields["ipv6"] { spec.ipv6 = try bool(value, key: "ipv6") }
        if let value = fields["internal"] { spec.internal = try bool(value, key: "internal") }
        if let value = fields["mtu"] {
            guard let mtu = value.text.flatMap({ Int($0) }), let checked = UInt32(exactly: mtu), MTU.range.contains(checked) else {
                throw error(value, "mtu of \(what) must be a number from \(MTU.range.lowerBound) to \(MTU.range.upperBound)")
            }
            spec.mtu = checked
        }
        if let value = fields["options"] { spec.options = try stringMap(value, key: "options") }
        if let value = fields["labels"] { spec.labels = try labels(value) }
        return spec
    }

    private func sandbox(named name: YAMLNode, _ node: YAMLNode, declared: Set<String>) throws(SwnetError) -> Topology.SandboxSpec {
        let sandboxName = try objectName(name, of: .sandbox)
        var spec = Topology.SandboxSpec(name: sandboxName)
        guard !isEmpty(node) else { return spec }
        let what = "sandbox \"\(sandboxName)\""
        let fields = try mapping(node, what: what, keys: ["hostname", "domainname", "dns", "dns_search", "extra_hosts",
                                                         "labels", "networks", "publish"])
        for (key, keyPath) in [("hostname", \Topology.SandboxSpec.hostname), ("domainname", \.domainname)] {
            guard let value = fields[key] else { continue }
            let text = try string(value, key: key)
            do {
                try HostName.validate(text, what: key)
            } catch {
                throw self.error(value, error)
            }
            spec[keyPath: keyPath] = text
        }
        if let value = fields["dns"] {
            spec.dns = try strings(value, key: "dns")
            try checkAddresses(spec.dns, value, key: "dns", of: what)
        }
        if let value = fields["dns_search"] { spec.dnsSearch = try strings(value, key: "dns_search") }
        if let value = fields["extra_hosts"] {
            if case .mapping = value {
                spec.extraHosts = try stringMap(value, key: "extra_hosts").sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
            } else {
                spec.extraHosts = try strings(value, key: "extra_hosts")
            }
            for (text, item) in zip(spec.extraHosts, items(value)) {
                guard let colon = text.firstIndex(of: ":"), IPAddress(String(text[text.index(after: colon)...])) != nil else {
                    throw error(item, "extra_hosts entry \"\(text)\" of \(what) is not HOST:IP")
                }
            }
        }
        if let value = fields["labels"] { spec.labels = try labels(value) }
        if let value = fields["networks"] {
            spec.connections = try connections(value, of: what, declared: declared)
        }
        if let value = fields["publish"] {
            guard !spec.connections.isEmpty else {
                throw error(value, "\(what) publishes ports but joins no network", hint: "add networks: to it")
            }
            spec.connections[0].publish += try publish(value, of: what)
        }
        return spec
    }

    private func connections(_ node: YAMLNode, of what: String, declared: Set<String>) throws(SwnetError) -> [Topology.ConnectionSpec] {
        var result: [Topology.ConnectionSpec] = []
        var pairs: [(YAMLNode, YAMLNode?)] = []
        switch node {
        case .sequence(let sequence, _): pairs = sequence.map { ($0, nil) }
        case .mapping: pairs = try entries(node, what: "networks of \(what)").map { ($0.0, $0.1) }
        default: throw error(node, "networks of \(what) must be a list of network names or a map of them")
        }
        for (nameNode, settings) in pairs {
            let network = try string(nameNode, key: "networks")
            guard declared.contains(network) else {
                throw error(nameNode, "\(what) joins network \"\(network)\", which the file does not declare",
                            hint: "declare it under networks:")
            }
            if result.contains(where: { $0.network == network }) {
                throw error(nameNode, "\(what) joins network \"\(network)\" twice", hint: "list each network once")
            }
            var connection = Topology.ConnectionSpec(network: network)
            if let settings, !isEmpty(settings) {
                let place = "\(what) on network \"\(network)\""
                let fields = try mapping(settings, what: place, keys: ["ip", "ip6", "mac", "aliases", "publish"])
                if let value = fields["ip"] {
                    connection.ip = try string(value, key: "ip")
                    try checkAddresses([connection.ip ?? ""], value, key: "ip", of: place)
                }
                if let value = fields["ip6"] {
                    connection.ip6 = try string(value, key: "ip6")
                    try checkAddresses([connection.ip6 ?? ""], value, key: "ip6", of: place)
                }
                if let value = fields["mac"] {
                    let text = try string(value, key: "mac")
                    guard (try? MACAddress.parse(text)) != nil else { throw error(value, "mac \"\(text)\" of \(place) is not a MAC address") }
                    connection.mac = text
                }
                if let value = fields["aliases"] {
                    connection.aliases = try strings(value, key: "aliases")
                    for (alias, item) in zip(connection.aliases, items(value)) {
                        _ = try objectName(item, of: .endpoint, text: alias)
                    }
                }
                if let value = fields["publish"] { connection.publish = try publish(value, of: place) }
            }
            result.append(connection)
        }
        return result
    }

    private func publish(_ node: YAMLNode, of what: String) throws(SwnetError) -> [String] {
        let texts = try strings(node, key: "publish")
        for (text, item) in zip(texts, items(node)) {
            do {
                _ = try PublishRequest(parsing: text)
            } catch {
                throw self.error(item, error)
            }
        }
        return texts
    }

    // MARK: Shapes

    /// A mapping's values by key, refusing keys outside `keys`, duplicates and non-string keys.
    private func mapping(_ node: YAMLNode, what: String, keys: [String]) throws(SwnetError) -> [String: YAMLNode] {
        var result: [String: YAMLNode] = [:]
        for (keyNode, value) in try entries(node, what: what) {
            let key = keyNode.text ?? ""
            guard keys.contains(key) else {
                throw error(keyNode, "unknown key \"\(key)\" in \(what)", hint: "use one of: \(keys.joined(separator: ", "))")
            }
            result[key] = value
        }
        return result
    }

    /// A mapping's entries in file order, refusing duplicate keys.
    private func entries(_ node: YAMLNode, what: String) throws(SwnetError) -> [(YAMLNode, YAMLNode)] {
        if isEmpty(node) { return [] }
        guard case .mapping(let mapping, _) = node else { throw error(node, "\(what) must be a map of KEY: VALUE") }
        var seen = Set<String>()
        var result: [(YAMLNode, YAMLNode)] = []
        for pair in mapping {
            let (key, value) = (pair.key, pair.value)
            guard let name = key.text else { throw error(key, "a key in \(what) is not a plain name") }
            guard seen.insert(name).inserted else {
                throw error(key, "\"\(name)\" appears twice in \(what)", hint: "give each name once")
            }
            result.append((key, value))
        }
        return result
    }

    private func isEmpty(_ node: YAMLNode) -> Bool {
        node.isNull
    }

    private func items(_ node: YAMLNode) -> [YAMLNode] {
        switch node {
        case .sequence(let sequence, _): sequence
        case .mapping(let mapping, _): mapping.map(\.value)
        default: [node]
        }
    }

    private func string(_ node: YAMLNode, key: String) throws(SwnetError) -> String {
        guard let text = node.text, !isEmpty(node) else { throw error(node, "\(key) must be a string") }
        return text
    }

    /// A string or a list of strings.
    private func strings(_ node: YAMLNode, key: String) throws(SwnetError) -> [String] {
        if case .sequence(let sequence, _) = node {
            var result: [String] = []
            for item in sequence { result.append(try string(item, key: key)) }
            return result
        }
        return [try string(node, key: key)]
    }

    private func bool(_ node: YAMLNode, key: String) throws(SwnetError) -> Bool {
        guard let text = node.text?.lowercased(), ["true", "false"].contains(text) else {
            throw error(node, "\(key) must be true or false")
        }
        return text == "true"
    }

    private func stringMap(_ node: YAMLNode, key: String) throws(SwnetError) -> [String: String] {
        var result: [String: String] = [:]
        for (keyNode, value) in try entries(node, what: key) {
            guard let text = value.text else { throw error(value, "values under \(key) must be strings") }
            result[keyNode.text ?? ""] = text
        }
        return result
    }

    /// User labels; the topology's own label keys are refused.
    private func labels(_ node: YAMLNode) throws(SwnetError) -> [String: String] {
        let labels = try stringMap(node, key: "labels")
        if let reserved = labels.keys.first(where: { $0.hasPrefix(Topology.projectLabel) }) {
            throw error(node, "label \"\(reserved)\" is swnet's own", hint: "choose another label key")
        }
        return labels
    }

    private func checkAddresses(_ texts: [String], _ node: YAMLNode, key: String, of what: String) throws(SwnetError) {
        for (text, item) in zip(texts, items(node)) where IPAddress(text) == nil {
            throw error(item, "\(key) \"\(text)\" of \(what) is not an IP address")
        }
    }

    private func objectName(_ node: YAMLNode, of kind: ObjectKind, text: String? = nil) throws(SwnetError) -> String {
        var name = text ?? ""
        if text == nil { name = try string(node, key: "a name") }
        do {
            try Identifiers.validateName(name, of: kind)
        } catch {
            throw self.error(node, error)
        }
        return name
    }
}
