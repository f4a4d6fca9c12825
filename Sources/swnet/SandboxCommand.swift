import ArgumentParser
import SwnetCore

struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Create, list, inspect and remove sandboxes (a container's network namespace).",
        subcommands: [Create.self, List.self, Inspect.self, Remove.self, Prune.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "create",
            abstract: "Create a sandbox.",
            discussion: """
                The sandbox's network namespace is bound at <netns-dir>/NAME, so 'ip netns exec NAME' \
                works on it, with its hosts and resolv.conf in /etc/netns/NAME. With --netns, an \
                existing namespace (such as /proc/PID/ns/net) is adopted instead; swnet never \
                deletes an adopted namespace.

                With --network, the new sandbox is connected as 'swnet connect' connects it, in \
                the same step: 'swnet sandbox create web --network front -p 8080:80' does what \
                'swnet sandbox create web' and 'swnet connect front web -p 8080:80' do, in one \
                process, and leaves nothing if any part fails. --ip, --ip6, --mac, --alias and \
                --publish set the endpoint on the first --network; the others get an automatic \
                address.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The sandbox's name.")
        var name: String

        @Option(help: "The hostname 'swnet exec' sets and /etc/hosts maps to the sandbox's addresses.")
        var hostname: String?

        @Option(help: "The domain name.")
        var domainname: String?

        @Option(help: ArgumentHelp("A nameserver (default: the host's, without loopback ones).", valueName: "ip"))
        var dns: [String] = []

        @Option(help: ArgumentHelp("A search domain.", valueName: "domain"))
        var dnsSearch: [String] = []

        @Option(help: ArgumentHelp("An extra /etc/hosts entry.", valueName: "host:ip"))
        var addHost: [String] = []

        @Option(help: ArgumentHelp("Adopt this existing network namespace.", valueName: "path"))
        var netns: String?

        @Option(help: ArgumentHelp("A label.", valueName: "key=value"))
        var label: [String] = []

        @Option(help: ArgumentHelp("Connect the new sandbox to this network (name or id prefix); repeat for more.",
                                   valueName: "network"), completion: .custom(completeNetworks))
        var network: [String] = []

        @OptionGroup var endpoint: EndpointSettings

        @Flag(help: "Succeed without change when the sandbox exists with every setting given, on each --network with every setting given there; fail naming the difference otherwise.")
        var ignore = false

        func validate() throws {
            if network.isEmpty, let option = endpoint.given.first {
                throw ValidationError("\(option) sets the sandbox's endpoint on its first network: give --network too")
            }
        }

        func run() throws {
            var settings = try SandboxOption.settings(hostname: hostname, domainname: domainname, dns: dns, dnsSearch: dnsSearch,
                                                      extraHosts: addHost, labels: try Labels.parse(label))
            if let netns { settings.append(.namespacePath(netns)) }
            let controller = try global.controller()
            let connections = network.enumerated().map { index, network in
                NetworkConnection(network: network, options: index == 0 ? endpoint.options : EndpointOptions())
            }
            let sandbox = ignore ? try controller.ensureSandbox(containerID: name, options: settings, connectingTo: connections).sandbox
                                 : try controller.newSandbox(containerID: name, options: settings, connectingTo: connections)
            print(sandbox.id)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("ls", abstract: "List sandboxes.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var list: ListOptions

        func run() throws {
            let filters = try list.filters(allowed: ["name", "id", "label", "network"])
            let controller = try global.controller()
            // A sandbox is on a network through its endpoints: read them only when asked.
            var networksOf: [String: [String]] = [:]
            if filters.contains(where: { $0.key == "network" }) {
                for endpoint in try controller.endpoints() {
                    if let sandboxID = endpoint.sandboxID { networksOf[sandboxID, default: []] += [endpoint.networkName, endpoint.networkID] }
                }
            }
            let sandboxes = try controller.sandboxes().filter { sandbox in
                filters.allSatisfy {
                    matches($0, name: sandbox.name, id: sandbox.id, labels: sandbox.labels, fields: ["network": networksOf[sandbox.id] ?? []])
                }
            }
            try list.print(sandboxes, columns: ["SANDBOX ID", "NAME", "HOSTNAME", "ENDPOINTS", "NAMESPACE"]) { sandbox in
                [list.id(sandbox.id), sandbox.name, sandbox.hostname ?? "", String(sandbox.endpoints.count), sandbox.key]
            }
        }
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration.leaf("inspect", abstract: "Show sandboxes as a JSON array.")

        @OptionGroup var global: GlobalOptions

        @OptionGroup var output: InspectOptions

        @Argument(help: "Names or id prefixes.", completion: .custom(completeSandboxes))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try output.inspectEach(names) { (name) throws(SwnetError) in try controller.sandbox(name).record }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "rm",
            abstract: "Remove sandboxes.",
            discussion: "Every joined endpoint leaves first; endpoints made by 'swnet connect' are removed too."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(name: .shortAndLong, help: "Ignore sandboxes that do not exist.")
        var force = false

        @Argument(help: "Names or id prefixes.", completion: .custom(completeSandboxes))
        var names: [String]

        func run() throws {
            let controller = try global.controller()
            try removeEach(names, ignoringMissing: force) { (name) throws(SwnetError) in
                try controller.deleteSandbox(name)
            }
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "prune", abstract: "Remove every sandbox with no endpoint joined.",
            discussion: "Asks first when standard input is a terminal, unless --force. Prints each sandbox removed.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var prune: PruneOptions

        func run() throws {
            let labels = try prune.labels()
            guard prune.confirmed("remove every sandbox with no endpoint joined\(prune.describe(labels))") else { return }
            try global.controller().pruneSandboxes(labels: labels).forEach { print($0) }
        }
    }
}

extension SandboxCommand.Create: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 1, options: GlobalOptions.plainGrammar.options
        + EndpointSettings.plainGrammar.options + [
            .init("--hostname", arity: .value), .init("--domainname", arity: .value), .init("--dns", arity: .values),
            .init("--dns-search", arity: .values), .init("--add-host", arity: .values), .init("--netns", arity: .value),
            .init("--label", arity: .values), .init("--network", arity: .values), .init("--ignore", arity: .flag),
        ])

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        name = line.positionals[0]
        hostname = line.value("--hostname")
        domainname = line.value("--domainname")
        dns = line.values("--dns")
        dnsSearch = line.values("--dns-search")
        addHost = line.values("--add-host")
        netns = line.value("--netns")
        label = line.values("--label")
        network = line.values("--network")
        endpoint = try EndpointSettings(line)
        ignore = line.flag("--ignore")
    }
}

extension SandboxCommand.Remove: PlainRemoval {}
