import ArgumentParser
import Glibc
import SwnetCore

/// Options every command takes. Each falls back to an environment variable, then a default.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where swnet keeps its state (env SWNET_STATE_DIR).", valueName: "dir"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("Where sandbox namespaces are bound (env SWNET_NETNS_DIR).", valueName: "dir"))
    var netnsDir: String?

    @Flag(name: .long, help: "Print each kernel step and its duration on standard error.")
    var debug = false

    /// A controller configured from these options and the environment.
    func controller() throws -> Controller {
        var options = ControllerOptions()
        options.stateDirectory = stateDir ?? environment("SWNET_STATE_DIR") ?? options.stateDirectory
        options.netnsDirectory = netnsDir ?? environment("SWNET_NETNS_DIR") ?? options.netnsDirectory
        if let pools = environment("SWNET_ADDRESS_POOLS") {
            options.defaultAddressPools = try pools.split(separator: ",").map { (text) throws(SwnetError) in
                try AddressPool(parsing: String(text))
            }
        }
        if let failpoint = environment("SWNET_FAILPOINT") {
            options.failpoint = try Failpoint.parse(failpoint)
        }
        if let timeout = environment("SWNET_LOCK_TIMEOUT") {
            guard let seconds = Double(timeout), seconds >= 0 else {
                throw SwnetError(.invalidArgument, "invalid SWNET_LOCK_TIMEOUT \"\(timeout)\"", hint: "give a number of seconds")
            }
            options.lockTimeout = seconds
        }
        for (name, path) in [("--state-dir", options.stateDirectory), ("--netns-dir", options.netnsDirectory)]
        where !path.hasPrefix("/") {
            throw SwnetError(.invalidArgument, "\(name) \"\(path)\" is not an absolute path", hint: "give a path starting with /")
        }
        let controller = Controller(options: options)
        controller.onWarning = Output.warning
        if debug {
            controller.onDebug = { Output.standardError("swnet: debug: \($0)") }
        }
        return controller
    }

    private func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}

extension GlobalOptions: PlainParsable {
    static let plainGrammar = PlainLine.Grammar(positionals: 0, options: [
        .init("--state-dir", arity: .value), .init("--netns-dir", arity: .value), .init("--debug", arity: .flag),
    ])

    mutating func set(from line: PlainLine) throws {
        stateDir = line.value("--state-dir")
        netnsDir = line.value("--netns-dir")
        debug = line.flag("--debug")
    }
}
