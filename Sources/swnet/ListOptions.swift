import ArgumentParser
import SwnetCore

/// How `ls` and `inspect` print, from `--format`.
enum OutputFormat {
    case table
    case json
    case template(Template)

    init(_ text: String?) throws(SwnetError) {
        switch text {
        case nil, "table": self = .table
        case "json": self = .json
        case let text?:
            do {
                self = .template(try Template(text))
            } catch {
                throw SwnetError(.invalidArgument, "invalid --format template \"\(text)\"", why: error.message,
                                 hint: "see 'swnet help network ls' for what templates may use")
            }
        }
    }
}

/// What `--format` accepts, for every help text that offers it.
let formatHelp = """
    table (default), json, or a Go template: {{.Name}}, {{.ID}}, {{json .}}, {{.Labels}}, \
    {{index .Labels "k"}}, {{if …}}…{{else}}…{{end}}, {{range …}}…{{end}}, functions json, index, \
    join, len, lower, upper; 'table TEMPLATE' prints a header and aligns columns split by \\t. \
    Fields are those of 'inspect', matched without regard to case.
    """

/// Options every `ls` takes.
struct ListOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print names only, one per line.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp(formatHelp, valueName: "format"), completion: .list(["table", "json"]))
    var format: String?

    @Flag(name: .long, help: "Show whole ids.")
    var noTrunc = false

    @Option(name: .long, help: ArgumentHelp(
        "Show only objects matching KEY=VALUE (name, id, label=KEY or label=KEY=VALUE, and per kind driver, network, sandbox); repeatable, all must match.",
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

    /// Prints the listed objects as `-q` and `--format` ask: names, a table of `columns`, a
    /// JSON array, or a template per object (with ids shortened unless `--no-trunc`).
    func print<Object: StoredObject>(_ objects: [Object], columns: [String], row: (Object) -> [String]) throws {
        if quiet {
            objects.forEach { Swift.print($0.name) }
            return
        }
        switch try OutputFormat(format) {
        case .table:
            Output.table(columns, objects.map(row))
        case .json:
            try printJSONArray(objects)
        case .template(let template):
            var lines: [String] = []
            for object in objects {
                var value = try JSONValue(object)
                if !noTrunc, case .object(var members) = value {
                    members["id"] = .string(id(object.id))
                    value = .object(members)
                }
                lines.append(try render(template, value))
            }
            if template.isTable {
                let split = { (line: String) in line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
                Output.table(split(template.header), lines.map(split))
            } else {
                lines.forEach { Swift.print($0) }
            }
        }
    }
}

/// Renders a template, turning its failure into a usage error.
func render(_ template: Template, _ value: JSONValue) throws(SwnetError) -> String {
    do {
        return try template.render(value)
    } catch {
        throw SwnetError(.invalidArgument, "cannot apply the --format template", why: error.message,
                         hint: "check the template's fields against 'inspect'")
    }
}

/// Matches one filter against an object's fields: names as substrings, ids as prefixes, labels
/// as `K` or `K=V`, other fields exactly.
func matches(_ filter: (key: String, value: String), name: String, id: String, labels: [String: String],
             fields: [String: [String]] = [:]) -> Bool {
    switch filter.key {
    case "name": return name.contains(filter.value)
    case "id": return id.hasPrefix(filter.value)
    case "label": return Labels.match(labels, filters: [filter.value])
    default: return fields[filter.key, default: []].contains(filter.value)
    }
}
