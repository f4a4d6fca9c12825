import ArgumentParser
import Glibc
import SwnetCore

/// Options of `up` and `down`: the file and the topology's name.
struct TopologyOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The topology file (YAML or JSON); see swnet-topology(5).", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String?

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "The topology's name (default: the file's 'name:', else its base name).", valueName: "name"))
    var project: String?

    func load() throws -> Topology {
        guard let file else {
            throw SwnetError(.invalidArgument, "no topology file given", hint: "give -f FILE")
        }
        return try Topology.load(path: file, project: project)
    }
}

/// Shows, on a terminal only, which change of how many is under way, on one line of standard
/// error that the next change overwrites.
struct ProgressLine {
    let enabled = isatty(STDERR_FILENO) == 1

    func show(_ position: Int, _ count: Int, _ change: TopologyChange) {
        guard enabled else { return }
        Output.prompt("\r\u{1B}[K[\(position)/\(count)] \(change)")
    }

    func clear() {
        if enabled { Output.prompt("\r\u{1B}[K") }
    }
}

struct UpCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "up",
        abstract: "Create or update the networks and sandboxes a topology file declares.",
        discussion: """
            A reconcile: what is missing is created, what the file changed is replaced (a sandbox's \
            own settings are updated in place), what the topology made and the file no longer \
            declares is removed, and the rest is left alone, so a second 'up' changes nothing. \
            Every object made is labelled swnet.topology=NAME. It is one transaction: when any \
            step fails, nothing is changed. Prints each change; on a terminal, shows progress.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topology: TopologyOptions

    func run() throws {
        let topology = try topology.load()
        let progress = ProgressLine()
        defer { progress.clear() }
        let changes = try global.controller().up(topology, progress: progress.show)
        progress.clear()
        changes.forEach { print($0) }
        if changes.isEmpty { print("topology \(topology.name) is up to date") }
    }
}

struct DownCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "down",
        abstract: "Remove every network and sandbox a topology made.",
        discussion: """
            Removes exactly the objects labelled swnet.topology=NAME, whatever the file now says; \
            the name comes from -p, else from the file (-f). A network that an object outside the \
            topology still uses is refused. One transaction, like 'up'.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var topology: TopologyOptions

    func run() throws {
        let name: String
        if let project = topology.project, topology.file == nil {
            name = project
        } else {
            name = try topology.load().name
        }
        let progress = ProgressLine()
        defer { progress.clear() }
        let changes = try global.controller().down(topology: name, progress: progress.show)
        progress.clear()
        changes.forEach { print($0) }
        if changes.isEmpty { print("topology \(name) has nothing to remove") }
    }
}
