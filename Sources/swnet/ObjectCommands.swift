import ArgumentParser
import Glibc
import SwnetCore

/// Removes every named object, reporting each failure as it happens and failing at the end
/// with the highest exit status, as `docker rm a b c` does. Prints each name removed.
func removeEach(_ names: [String], ignoringMissing: Bool, _ remove: (String) throws(SwnetError) -> Void) throws {
    var status: Int32 = 0
    for name in names {
        do {
            try remove(name)
            print(name)
        } catch where ignoringMissing && error.kind == .notFound {
            continue
        } catch {
            Output.error(error.description)
            status = max(status, error.exitStatus)
        }
    }
    if status != 0 { throw ExitCode(status) }
}

/// `inspect`'s `--format`.
struct InspectOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "json (default: a JSON array) or a Go template applied to each object, as for 'ls'.", valueName: "format"),
        completion: .list(["json"]))
    var format: String?

    /// Prints the named objects as one JSON array, or each through the template; any name not
    /// found fails the whole command, so scripts never parse a partial answer.
    func inspectEach(_ names: [String], _ lookup: (String) throws(SwnetError) -> any StoredObject) throws {
        var objects: [any StoredObject] = []
        for name in names {
            objects.append(try lookup(name))
        }
        switch try OutputFormat(format ?? "json") {
        case .json:
            try printJSONArray(objects)
        case .template(let template) where !template.isTable:
            for object in objects {
                print(try render(template, try JSONValue(object)))
            }
        default:
            throw SwnetError(.invalidArgument, "inspect takes --format json or a template", hint: "drop 'table'")
        }
    }
}

/// The options of `network prune` and `sandbox prune`.
struct PruneOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only objects with this label (label=KEY or label=KEY=VALUE); repeatable, all must match.",
                               valueName: "label=..."))
    var filter: [String] = []

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var force = false

    /// The label filters, without their `label=`.
    func labels() throws(SwnetError) -> [String] {
        try filter.map { (text) throws(SwnetError) in
            guard text.hasPrefix("label="), text.count > 6 else {
                throw SwnetError(.invalidArgument, "invalid --filter \"\(text)\"", hint: "use label=KEY or label=KEY=VALUE")
            }
            return String(text.dropFirst(6))
        }
    }

    func describe(_ labels: [String]) -> String {
        labels.isEmpty ? "" : " labelled " + labels.joined(separator: " and ")
    }

    /// Asks "Are you sure?" when a person is at the terminal and --force was not given; scripts
    /// are never asked.
    func confirmed(_ action: String) -> Bool {
        guard !force, isatty(STDIN_FILENO) == 1 else { return true }
        Output.prompt("This will \(action). Are you sure you want to continue? [y/N] ")
        let answer = readLine()?.filter { !$0.isWhitespace }.lowercased()
        return answer == "y" || answer == "yes"
    }
}
