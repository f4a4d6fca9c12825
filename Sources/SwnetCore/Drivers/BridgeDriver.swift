import KernelOps

/// The `bridge` driver: one Linux bridge per network holding the gateway addresses, and a veth
/// pair per joined endpoint with the host end as a bridge port.
struct BridgeDriver: NetworkDriver {
    let name = "bridge"
    let usesIPAM = true
    let firewall: any Firewall = BridgeFirewall()

    /// Option spellings accepted with `--opt`, Docker's included, mapped to swnet's short names.
    static let optionNames: [String: String] = [
        "bridge.name": "bridge.name",
        "com.docker.network.bridge.name": "bridge.name",
        "mtu": "mtu",
        "com.docker.network.driver.mtu": "mtu",
        "icc": "icc",
        "com.docker.network.bridge.enable_icc": "icc",
        "masquerade": "masquerade",
        "com.docker.network.bridge.enable_ip_masquerade": "masquerade",
        "host_binding_ipv4": "host_binding_ipv4",
        "com.docker.network.bridge.host_binding_ipv4": "host_binding_ipv4",
    ]

    func differences(_ network: NetworkRecord, options: [String: String]) -> [String] {
        options.sorted(by: { $0.key < $1.key }).compactMap { key, value in
            let current: String?
            switch Self.optionNames[key] {
            case "bridge.name"?: current = network.bridgeName
            case "mtu"?: current = network.mtu.map(String.init)
            case let option? where option == "icc" || option == "masquerade": current = network.options[option] ?? "true"
            case let option?: current = network.options[option]
            case nil: return "no option \(key)"
            }
            let wanted = Self.optionNames[key] == "host_binding_ipv4" ? IPAddress(value)?.description ?? value : value
            return current == wanted ? nil : "option \(key)=\(current ?? "(unset)"), not \(value)"
        }
    }

    func configure(_ network: inout NetworkRecord, options: [String: String],
                   existing: [NetworkRecord], kernel: any KernelOperations) throws(SwnetError) {
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            guard let option = Self.optionNames[key] else {
                let known = Set(Self.optionNames.values).sorted().joined(separator: ", ")
                throw .invalid("unknown bridge option \"\(key)\"", hint: "use one of: \(known)")
            }
            switch option {
            case "bridge.name":
                try InterfaceName.validate(value, what: "bridge name")
                network.bridgeName = value
            case "mtu":
                let mtu = try MTU.parse(value)
                if let given = network.mtu, given != mtu {
                    throw .invalid("--mtu \(given) contradicts --opt \(key)=\(value)", hint: "give the MTU once")
                }
                network.mtu = mtu
            case "icc", "masquerade":
                guard value == "true" || value == "false" else {
                    throw .invalid("invalid value \"\(value)\" for option \(key)", hint: "use true or false")
                }
                network.options[option] = value
            default:  // host_binding_ipv4
                guard let address = IPAddress(value), address.family == .v4 else {
                    throw .invalid("invalid value \"\(value)\" for option \(key)", hint: "give an IPv4 address")
                }
                network.options[option] = address.description
            }
        }
        let bridge = network.bridgeName ?? "swbr-" + network.id.prefix(10)
        network.bridgeName = bridge
        if let owner = existing.first(where: { $0.bridgeName == bridge }) {
            throw .conflict("bridge \(bridge) is already used by network \"\(owner.name)\"",
                            hint: "choose another --opt bridge.name")
        }
        let exists: Bool
        do {
            exists = try kernel.linkExists(named: bridge)
        } catch let error as KernelError {
            throw .kernel(error, while: "look up interface \(bridge)")
        } catch {
            throw SwnetError(.system, "cannot look up interface \(bridge)", why: "\(error)")
        }
        if exists {
            throw .conflict("an interface named \(bridge) already exists and is not swnet's",
                            hint: "choose another --opt bridge.name")
        }
        if let mtu = network.mtu, network.ipv6, mtu < 1280 {
            throw .invalid("MTU \(mtu) is too small for IPv6", hint: "use an MTU of at least 1280 with --ipv6")
        }
    }

    func createNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError) {
        let spec = bridgeSpec(network)
        let kernel = transaction.kernel
        try transaction.step(.createBridge, "create bridge \(spec.name) for network \"\(network.name)\"",
                             undo: { try kernel.deleteLink(named: spec.name) }) {
            try kernel.createBridge(spec)
        }
        try applySettings(of: network, in: transaction)
        let undo = firewall.tearDown(network, lastOf: lastFamilies(of: network, others: others))
        try transaction.step(.setUpFirewall, "set up the firewall of network \"\(network.name)\"", undo: { try kernel.applyFirewall(undo) }) {
            try kernel.applyFirewall(firewall.setUp(network))
        }
    }

    func deleteNetwork(_ network: NetworkRecord, others: [NetworkRecord], in transaction: Transaction) throws(SwnetError) {
        let spec = bridgeSpec(network)
        let kernel = transaction.kernel
        let rules = firewall.tearDown(network, lastOf: lastFamilies(of: network, others: others))
        try transaction.step(.removeFirewall, "remove the firewall of network \"\(network.name)\"",
                             undo: { try kernel.applyFirewall(firewall.setUp(network)) }) {
            try kernel.applyFirewall(rules)
        }
        try transaction.step(.deleteBridge, "delete bridge \(spec.name) of network \"\(network.name)\"",
                             undo: { try kernel.createBridge(spec) }) {
            try kernel.deleteLink(named: spec.name)
        }
    }

    func restoreNetwork(_ network: NetworkRecord, in transaction: Transaction) throws(SwnetError) -> [String] {
        let spec = bridgeSpec(network)
        let kernel = transaction.kernel
        var repairs: [String] = []
        var exists = true
        try transaction.step(.restore, "look up bridge \(spec.name)", undo: nil) { exists = try kernel.linkExists(named: spec.name) }
        if !exists {
            try transaction.step(.restore, "re-create bridge \(spec.name) of network \"\(network.name)\"",
                                 undo: { try kernel.deleteLink(named: spec.name) }) {
                try kernel.createBridge(spec)
            }
            repairs.append("network \"\(network.name)\": bridge \(spec.name) re-created")
        }
        try applySettings(of: network, in: transaction)
        try transaction.step(.restore, "re-apply the firewall of network \"\(network.name)\"", undo: nil) {
            try kernel.applyFirewall(firewall.setUp(network))
        }
        return repairs
    }

    func restoreJoin(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                     providesGateway: Bool, in transaction: Transaction) throws(SwnetError) -> String? {
        var attachment = try self.attachment(endpoint, network: network, sandbox: sandbox, providesGateway: providesGateway)
        // A command killed after handing the default route to another join leaves it there.
        attachment.replacesDefaultRoutes = true
        let kernel = transaction.kernel
        var exists = true
        try transaction.step(.restore, "look up interface \(attachment.veth.hostName)", undo: nil) {
            exists = try kernel.linkExists(named: attachment.veth.hostName)
        }
        if !exists {
            try transaction.step(.restore, "re-attach endpoint \"\(endpoint.name)\" to sandbox \"\(sandbox.name)\"",
                                 undo: { try kernel.deleteLink(named: attachment.veth.hostName) }) {
                try kernel.attachVeth(attachment)
            }
        }
        if !endpoint.ports.isEmpty {
            try transaction.step(.restore, "re-publish the ports of endpoint \"\(endpoint.name)\"", undo: nil) {
                try kernel.applyFirewall(firewall.publish(endpoint, on: network))
            }
        }
        return exists ? nil : "endpoint \"\(endpoint.name)\": interface \(attachment.veth.peerName) re-created in sandbox \"\(sandbox.name)\""
    }

    /// The kernel parameters a bridge network relies on; idempotent.
    private func applySettings(of network: NetworkRecord, in transaction: Transaction) throws(SwnetError) {
        let kernel = transaction.kernel
        var settings: [(String, String)] = [
            // The host's 127.0.0.1 reaching published ports: on this bridge only.
            ("net/ipv4/conf/\(bridgeSpec(network).name)/route_localnet", "1"),
        ]
        if !network.internal {
            // Sandboxes reach other networks and the outside through the host.
            settings.append(("net/ipv4/ip_forward", "1"))
            if network.ipv6 { settings.append(("net/ipv6/conf/all/forwarding", "1")) }
        }
        if network.options["icc"] == "false" {
            // Endpoint-to-endpoint frames are bridged, not routed: only with bridge netfilter
            // do they meet the firewall that blocks them.
            settings.append(("net/bridge/bridge-nf-call-iptables", "1"))
            if network.ipv6 { settings.append(("net/bridge/bridge-nf-call-ip6tables", "1")) }
        }
        for (key, value) in settings {
            try transaction.step(.setSysctl, "set \(key) to \(value)", undo: nil) {
                try kernel.setSysctl(key, to: value)
            }
        }
    }

    /// The families whose swnet chains go with this network: those no other bridge network uses.
    private func lastFamilies(of network: NetworkRecord, others: [NetworkRecord]) -> Set<IPFamily> {
        let used = others.filter { $0.driver == name && $0.id != network.id }.reduce(into: Set<IPFamily>()) {
            $0.formUnion(firewallFamilies(of: $1))
        }
        return firewallFamilies(of: network).subtracting(used)
    }

    func join(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
              providesGateway: Bool, in transaction: Transaction) throws(SwnetError) {
        let attachment = try self.attachment(endpoint, network: network, sandbox: sandbox, providesGateway: providesGateway)
        let kernel = transaction.kernel
        try transaction.step(.attachVeth, "attach endpoint \"\(endpoint.name)\" to sandbox \"\(sandbox.name)\"",
                             undo: { try kernel.deleteLink(named: attachment.veth.hostName) }) {
            try kernel.attachVeth(attachment)
        }
        if !endpoint.ports.isEmpty {
            let firewall = self.firewall
            try transaction.step(.publishPorts, "publish the ports of endpoint \"\(endpoint.name)\"",
                                 undo: { try kernel.applyFirewall(firewall.unpublish(endpoint, on: network)) }) {
                try kernel.applyFirewall(firewall.publish(endpoint, on: network))
            }
        }
    }

    func leave(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
               providesGateway: Bool, namespaceGoing: Bool, in transaction: Transaction) throws(SwnetError) {
        let attachment = try self.attachment(endpoint, network: network, sandbox: sandbox, providesGateway: providesGateway)
        let kernel = transaction.kernel
        var portTraffic: UInt64 = 0
        if !endpoint.ports.isEmpty {
            let firewall = self.firewall
            try transaction.step(.unpublishPorts, "unpublish the ports of endpoint \"\(endpoint.name)\"",
                                 undo: { try kernel.applyFirewall(firewall.publish(endpoint, on: network)) }) {
                portTraffic = try kernel.applyFirewall(firewall.unpublish(endpoint, on: network))
            }
        }
        if !namespaceGoing {
            // Deleting the host end deletes the pair; the sandbox keeps no trace of the endpoint.
            try transaction.step(.detachVeth, "detach endpoint \"\(endpoint.name)\" from sandbox \"\(sandbox.name)\"",
                                 undo: { try kernel.attachVeth(attachment) }) {
                try kernel.deleteLink(named: attachment.veth.hostName)
            }
        }
        // Last, as nothing can undo it: stale NAT entries would keep sending a published port's
        // traffic to this endpoint's address after the port is published again elsewhere. Only
        // when some packet ever went through the port's rules (their counters say so; the first
        // packet of every NATed connection does): the kernel walks its whole connection table for
        // it, ~6 ms here however few connections there are.
        for address in [endpoint.ipv4Address, endpoint.ipv6Address].compactMap({ $0 }) where portTraffic > 0 {
            try transaction.step(.flushConnections, "forget the tracked connections of \(address)", undo: nil) {
                try kernel.flushConnections(repliesFrom: address.description)
            }
        }
    }

    func takeOverGateway(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                         in transaction: Transaction) throws(SwnetError) {
        guard let device = endpoint.interfaceName else { return }
        let kernel = transaction.kernel
        for gateway in gateways(of: network) {
            try transaction.step(.defaultRoute, "add default route via \(gateway) in sandbox \"\(sandbox.name)\"", undo: nil) {
                try kernel.addDefaultRoute(inNamespace: sandbox.key, via: gateway.description, device: device)
            }
        }
    }

    private func bridgeSpec(_ network: NetworkRecord) -> BridgeSpec {
        // The MAC derives from the IPv4 gateway like endpoints' do: stable across `restore`.
        BridgeSpec(name: network.bridgeName ?? "", alias: "swnet:" + network.id, mtu: network.mtu,
                   mac: network.addressSpace(for: .v4)?.gateway.map(MACAddress.derived),
                   addresses: network.ipam.compactMap(\.gatewayCIDR))
    }

    /// The gateways a sandbox routes through: none for an internal network, which has no way out.
    private func gateways(of network: NetworkRecord) -> [IPAddress] {
        network.internal ? [] : network.ipam.compactMap(\.gateway)
    }

    private func attachment(_ endpoint: EndpointRecord, network: NetworkRecord, sandbox: SandboxRecord,
                            providesGateway: Bool) throws(SwnetError) -> VethAttachment {
        guard let interfaceName = endpoint.interfaceName, let hostName = endpoint.hostInterfaceName else {
            throw SwnetError(.system, "endpoint \"\(endpoint.name)\" has no interface names", hint: "run 'swnet system gc'")
        }
        var addresses: [String] = []
        for (address, family) in [(endpoint.ipv4Address, IPAddress.Family.v4), (endpoint.ipv6Address, .v6)] {
            if let address, let space = network.addressSpace(for: family) {
                addresses.append("\(address)/\(space.subnet.prefixLength)")
            }
        }
        let veth = VethSpec(hostName: hostName, hostAlias: endpoint.mark,
                            bridge: network.bridgeName, mtu: network.mtu,
                            peerNamespacePath: sandbox.key, peerName: interfaceName, peerMAC: endpoint.macAddress,
                            hairpin: !endpoint.ports.isEmpty)
        return VethAttachment(veth: veth, addresses: addresses,
                              defaultGateways: providesGateway ? gateways(of: network).map(\.description) : [],
                              disableIPv6: !network.ipv6)
    }
}
