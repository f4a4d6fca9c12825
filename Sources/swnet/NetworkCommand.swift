import ArgumentParser
import SwnetCore

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Create, list, inspect and remove networks.",
        subcommands: [Create.self, List.self, Inspect.self, Exists.self, Remove.self, Prune.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "create",
            abstract: "Create a network.",
            discussion: """
                A bridge network gets a Linux bridge holding its gateway address; without --subnet, \
                a free /24 is chosen from the address pools (172.20.0.0/14 unless SWNET_ADDRESS_POOLS \
                says otherwise, e.g. 10.200.0.0/16:24), clear of other networks and of every address \
                and route on the host. --ipv6 adds an IPv6 subnet (a random unique-local /64 when none \
                is given).

                Options (--opt): bridge.name=NAME, mtu=N, icc=true|false, masquerade=true|false, \
                host_binding_ipv4=IP; Docker's com.docker.network.bridge.* spellings work too.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The network's name.")
        var name: String

        @Option(name: [.customShort("d"), .long], help: "Driver: bridge or null.")
        var driver = "bridge"

        @Option(help: ArgumentHelp("A subnet in CIDR form; at most one IPv4 and one IPv6.", valueName: "cidr"))
        var subnet: [String] = []

        @Option(help: ArgumentHelp("The gateway of a subnet (default: its first address).", valueName: "ip"))
        var gateway: [String] = []

        @Option(help: ArgumentHelp("Hand out automatic addresses from this part of the subnet only.", valueName: "cidr"))
        var ipRange: String?

        @Flag(help: "Add an IPv6 subnet.")
        var ipv6 = false

        @Flag(help: "Give the network no route out of the host.")
        var `internal` = false

        @Option(help: "The MTU of the bridge and its endpoints.")
        var mtu: UInt32?

        @Option(name: [.customShort("o"), .long], help: ArgumentHelp("A driver option.", valueName: "key=value"))
        var opt: [String] = []

        @Option(help: ArgumentHelp("A label.", valueName: "key=value"))
        var label: [String] = []

        @Flag(help: "Succeed without change when the network exists with every setting given; fail naming the difference otherwise.")
        var ignore = false

        func run() throws {
            var options = NetworkOptions()
            options.addresses = AddressRequest(subnets: subnet, gateways: gateway, ipRange: ipRange, ipv6: ipv6)
            options.internal = `internal`
            options.mtu = mtu
            options.driverOptions = try Labels.parse(opt, option: "--opt")
            options.labels = try Labels.parse(label)
            let controller = try global.controller()
            let network = ignore ? try controller.ensureNetwork(driver: driver, name: name, options: options).network
                                 : try controller.newNetwork(driver: driver, name: name, options: options)
            print(network.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("ls", abstract: "List networks.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var list: ListOptions

        func run() throws {
            let filters = try list.filters(allowed: ["name", "id", "driver", "label"])
            let networks = try global.controller().networks().filter { network in
                filters.allSatisfy {
                    matches($0, name: network.name, id: network.id, labels: network.labels, fields: ["driver": [network.driver]])
                }
            }
            try list.print(networks, columns: ["NETWORK ID", "NAME", "DRIVER", "SUBNET", "GATEWAY"]) { network in
                [list.id(network.id), network.name, network.driver,
                 network.ipam.map(\.subnet.description).joined(separator: ","),
                 network.ipam.compactMap { $0.gateway?.description }.joined(separator: ",")]
            }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("inspect", abstract: "Show networks as a JSON array.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var output: InspectOptions

        @Argument(help: "Names or id prefixes.", completion: .custom(completeNetworks))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try output.inspectEach(names) { (name) throws(SwnetError) in try controller.network(name).record }
        }
    }

    struct Exists: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "exists", abstract: "Exit 0 when the network exists, 1 when it does not; print nothing.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A name or id prefix.", completion: .custom(completeNetworks))
        var name: String

        func run() throws {
            guard try global.controller().networkExists(name) else { throw ExitCode(1) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "rm",
            abstract: "Remove networks.",
            discussion: "A network with endpoints is refused unless --force, which removes them (leaving their sandboxes first). With --force, a name that is already gone is not an error."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Remove endpoints too; ignore networks that do not exist.")
        var force = false

        @Argument(help: "Names or id prefixes.", completion: .custom(completeNetworks))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try removeEach(names, ignoringMissing: force) { (name) throws(SwnetError) in
                try controller.deleteNetwork(name, force: force)
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "prune", abstract: "Remove every network without endpoints.",
            discussion: "Asks first when standard input is a terminal, unless --force. Prints each network removed.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var prune: PruneOptions

        func run() throws {
            let labels = try prune.labels()
            guard prune.confirmed("remove every network without endpoints\(prune.describe(labels))") else { return }
            try global.controller().pruneNetworks(labels: labels).forEach { print($0) }
        }
    }
}
