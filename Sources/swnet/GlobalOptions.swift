import ArgumentParser
import FoundationEssentials
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

/// Output shared by the commands: tables, JSON, and messages on standard error.
enum Output {
    static func standardError(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    static func error(_ message: String) {
        standardError("swnet: error: " + message)
    }

    static func warning(_ message: String) {
        standardError("swnet: warning: " + message)
    }

    /// Prints rows under a header with columns aligned by two spaces.
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        for row in [header] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            print(line)
        }
    }
}

/// How `ls` prints.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// Options every `ls` takes.
struct ListOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print names only, one per line.")
    var quiet = false

    @Option(name: .long, help: "Output format: table or json.")
    var format: ListFormat = .table

    @Flag(name: .long, help: "Show whole ids.")
    var noTrunc = false

    @Option(name: .long, help: ArgumentHelp(
        "Show only objects matching KEY=VALUE (name, id, label, and per kind driver, network, sandbox); repeatable, all must match.",
        valueName: "key=value"))
    var filter: [String] = []

    func id(_ id: String) -> String { noTrunc ? id : String(id.prefix(12)) }

    /// Parses the filters, refusing keys the listed kind does not know.
    func filters(allowed: [String]) throws -> [(key: String, value: String)] {
        try filter.map { text in
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, allowed.contains(String(parts[0])) else {
                throw SwnetError(.invalidArgument, "invalid --filter \"\(text)\"",
                                 hint: "use KEY=VALUE with KEY one of \(allowed.joined(separator: ", "))")
            }
            return (String(parts[0]), String(parts[1]))
        }
    }
}

/// Matches one filter against an object's fields: names and ids as exact or prefix, labels as
/// `K` or `K=V`.
func matches(_ filter: (key: String, value: String), name: String, id: String, labels: [String: String],
             fields: [String: [String]] = [:]) -> Bool {
    switch filter.key {
    case "name": return name.contains(filter.value)
    case "id": return id.hasPrefix(filter.value)
    case "label": return Labels.match(labels, filters: [filter.value])
    default: return fields[filter.key, default: []].contains(filter.value)
    }
}

/// Prints values as an indented JSON array with sorted keys, as `inspect` and `--format json` do.
func printJSONArray(_ values: [any Encodable]) throws {
    struct Element: Encodable {
        let value: any Encodable
        func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(values.map(Element.init)), as: UTF8.self))
}
