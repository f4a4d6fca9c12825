import ArgumentParser
import SwnetCore

struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "join",
        abstract: "Join an endpoint to a sandbox.",
        discussion: "The sandbox gets a veth interface (eth0, eth1, … or --ifname) with the endpoint's addresses; the first network joined with a gateway gives it its default route."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The endpoint (name or id prefix).", completion: .custom(completeEndpoints))
    var endpoint: String

    @Argument(help: "The sandbox (name or id prefix).", completion: .custom(completeSandboxes))
    var sandbox: String

    @Option(help: "The interface name inside the sandbox.")
    var ifname: String?

    func run() throws {
        try global.controller().join(endpoint: endpoint, sandbox: sandbox, interfaceName: ifname)
    }
}

struct LeaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "leave", abstract: "Take an endpoint out of its sandbox; the endpoint and its addresses remain.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The endpoint (name or id prefix).", completion: .custom(completeEndpoints))
    var endpoint: String

    func run() throws {
        try global.controller().leave(endpoint: endpoint)
    }
}

struct ConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "connect",
        abstract: "Connect a sandbox to a network: endpoint create and join in one step.",
        discussion: "The endpoint is named SANDBOX.NETWORK unless --name is given; 'swnet disconnect' and 'swnet sandbox rm' remove it."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The network (name or id prefix).", completion: .custom(completeNetworks))
    var network: String

    @Argument(help: "The sandbox (name or id prefix).", completion: .custom(completeSandboxes))
    var sandbox: String

    @Option(help: "The endpoint's name.")
    var name: String?

    @Option(help: "The interface name inside the sandbox.")
    var ifname: String?

    @OptionGroup var endpoint: EndpointSettings

    @Option(help: ArgumentHelp("A label.", valueName: "key=value"))
    var label: [String] = []

    func run() throws {
        let created = try global.controller().connect(network: network, sandbox: sandbox, endpointName: name,
                                                      options: try endpoint.options(labels: label), interfaceName: ifname)
        print(created.id)
    }
}

struct DisconnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "disconnect", abstract: "Disconnect a sandbox from a network: leave, then remove the endpoint.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The network (name or id prefix).", completion: .custom(completeNetworks))
    var network: String

    @Argument(help: "The sandbox (name or id prefix).", completion: .custom(completeSandboxes))
    var sandbox: String

    func run() throws {
        try global.controller().disconnect(network: network, sandbox: sandbox)
    }
}

extension JoinCommand: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 2, options: GlobalOptions.plainGrammar.options
        + [.init("--ifname", arity: .value)])

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        endpoint = line.positionals[0]
        sandbox = line.positionals[1]
        ifname = line.value("--ifname")
    }
}

extension LeaveCommand: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 1, options: GlobalOptions.plainGrammar.options)

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        endpoint = line.positionals[0]
    }
}

extension ConnectCommand: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 2, options: GlobalOptions.plainGrammar.options
        + EndpointSettings.plainGrammar.options
        + [.init("--name", arity: .value), .init("--ifname", arity: .value), .init("--label", arity: .values)])

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        network = line.positionals[0]
        sandbox = line.positionals[1]
        name = line.value("--name")
        ifname = line.value("--ifname")
        endpoint = try EndpointSettings(line)
        label = line.values("--label")
    }
}

extension DisconnectCommand: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 2, options: GlobalOptions.plainGrammar.options)

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        network = line.positionals[0]
        sandbox = line.positionals[1]
    }
}
