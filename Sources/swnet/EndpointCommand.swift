import ArgumentParser
import SwnetCore

/// What an endpoint is given on its network: addresses, aliases and published ports. Shared by
/// `endpoint create`, `connect` and `sandbox create --network`.
///
/// The endpoint's `--label` is not here, as `sandbox create` labels the sandbox, and not in a
/// group wrapping this one either: each option group costs every run of its commands ~0.7 M
/// instructions (the Swift runtime walks all of the binary's conformance records four times for
/// it, ~180,000 instructions a walk, and reflects on it), 6% of a `connect`, counted by callgrind.
struct EndpointSettings: ParsableArguments {
    @Option(help: ArgumentHelp("A static IPv4 address inside the network's subnet.", valueName: "ip"))
    var ip: String?

    @Option(help: ArgumentHelp("A static IPv6 address inside the network's IPv6 subnet.", valueName: "ip"))
    var ip6: String?

    @Option(help: ArgumentHelp("The MAC address (default: derived from the IPv4 address).", valueName: "mac"))
    var mac: String?

    @Option(help: ArgumentHelp("Another name for the endpoint on its network.", valueName: "name"))
    var alias: [String] = []

    @Option(name: [.customShort("p"), .long], help: ArgumentHelp(
        "Publish a port: [HOSTIP:][HOSTPORT[-END]:]PORT[-END][/tcp|/udp]; without HOSTPORT a free one is chosen.",
        valueName: "port"))
    var publish: [String] = []

    /// The options given, by their flags, for an error that finds them misplaced.
    var given: [String] {
        [ip.map { _ in "--ip" }, ip6.map { _ in "--ip6" }, mac.map { _ in "--mac" },
         alias.isEmpty ? nil : "--alias", publish.isEmpty ? nil : "--publish"].compactMap { $0 }
    }

    var options: EndpointOptions {
        var options = EndpointOptions(ipv4Address: ip, ipv6Address: ip6, macAddress: mac)
        options.aliases = alias
        options.publish = publish
        return options
    }

    /// The settings with the endpoint's labels (`--label` of `endpoint create` and `connect`).
    func options(labels: [String]) throws -> EndpointOptions {
        var options = options
        options.labels = try Labels.parse(labels)
        return options
    }
}

extension EndpointSettings: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 0, options: [
        .init("--ip", arity: .value), .init("--ip6", arity: .value), .init("--mac", arity: .value),
        .init("--alias", arity: .values), .init("--publish", "-p", arity: .values),
    ])

    mutating func set(from line: PlainLine) throws {
        ip = line.value("--ip")
        ip6 = line.value("--ip6")
        mac = line.value("--mac")
        alias = line.values("--alias")
        publish = line.values("--publish")
    }
}

struct EndpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Create, list, inspect and remove endpoints.",
        subcommands: [Create.self, List.self, Inspect.self, Remove.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "create",
            abstract: "Create an endpoint on a network.",
            discussion: "Its addresses are reserved now; its interface appears in a sandbox on 'swnet join'. Endpoint names are unique on the host."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "The network (name or id prefix).", completion: .custom(completeNetworks))
        var network: String

        @Argument(help: "The endpoint's name.")
        var name: String

        @OptionGroup var endpoint: EndpointSettings

        @Option(help: ArgumentHelp("A label.", valueName: "key=value"))
        var label: [String] = []

        @Flag(help: "Succeed without change when the endpoint exists with every setting given; fail naming the difference otherwise.")
        var ignore = false

        func run() throws {
            let controller = try global.controller()
            let options = try endpoint.options(labels: label)
            let created = ignore ? try controller.ensureEndpoint(network: network, name: name, options: options).endpoint
                                 : try controller.newEndpoint(network: network, name: name, options: options)
            print(created.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("ls", abstract: "List endpoints.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var list: ListOptions

        @Option(help: "Only endpoints of this network.", completion: .custom(completeNetworks))
        var network: String?

        func run() throws {
            let filters = try list.filters(allowed: ["name", "id", "label", "network", "sandbox"])
            let endpoints = try global.controller().endpoints(network: network).filter { endpoint in
                filters.allSatisfy {
                    matches($0, name: endpoint.name, id: endpoint.id, labels: endpoint.labels, fields: [
                        "network": [endpoint.networkName, endpoint.networkID],
                        "sandbox": [endpoint.sandboxName, endpoint.sandboxID].compactMap { $0 },
                    ])
                }
            }
            try list.print(endpoints, columns: ["ENDPOINT ID", "NAME", "NETWORK", "SANDBOX", "IPV4", "IPV6", "MAC", "PORTS"]) { endpoint in
                [list.id(endpoint.id), endpoint.name, endpoint.networkName, endpoint.sandboxName ?? "",
                 endpoint.ipv4Address?.description ?? "", endpoint.ipv6Address?.description ?? "", endpoint.macAddress ?? "",
                 endpoint.ports.map(\.description).joined(separator: ",")]
            }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("inspect", abstract: "Show endpoints as a JSON array.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var output: InspectOptions

        @Argument(help: "Names or id prefixes.", completion: .custom(completeEndpoints))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try output.inspectEach(names) { (name) throws(SwnetError) in try controller.endpoint(name).record }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "rm", abstract: "Remove endpoints.",
            discussion: "A joined endpoint is refused unless --force, which makes it leave its sandbox first.")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Leave the sandbox first; ignore endpoints that do not exist.")
        var force = false

        @Argument(help: "Names or id prefixes.", completion: .custom(completeEndpoints))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try removeEach(names, ignoringMissing: force) { (name) throws(SwnetError) in
                try controller.deleteEndpoint(name, force: force)
            }
        }
    }
}

extension EndpointCommand.Create: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 1, options: GlobalOptions.plainGrammar.options
        + EndpointSettings.plainGrammar.options
        + [.init("--network", arity: .value), .init("--label", arity: .values), .init("--ignore", arity: .flag)])

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        network = try line.required("--network")
        name = line.positionals[0]
        endpoint = try EndpointSettings(line)
        label = line.values("--label")
        ignore = line.flag("--ignore")
    }
}

extension EndpointCommand.Remove: PlainRemoval {}
