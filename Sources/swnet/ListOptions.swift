import ArgumentParser
import SwnetCore

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
