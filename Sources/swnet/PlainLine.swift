import ArgumentParser

/// The command line of an attach or detach command, read without swift-argument-parser when it
/// uses only the plain forms scripts type: words, `--name value`, `-p value` and flags.
///
/// Every swnet command is a process, and swift-argument-parser's first use in a process costs
/// ~1.2 ms here (the Swift runtime reflecting on the command's properties and checking, type by
/// type, the protocols each conforms to: 26-27 walks of all the binary's conformance records),
/// a quarter of `connect` or `sandbox rm`. The commands a script runs for every container are
/// read here instead, into the very command the tree would make: its properties set one by one,
/// then its own `validate()` and `run()`. Anything else is left to the tree, which parses and
/// reports it as before: help and version, `--name=value`, `--`, a flag or single option given
/// twice, a value that starts with "-", an empty word, a name or count it does not expect, a
/// failed validation. `PlainLineTests` checks that each line read here makes the command the
/// tree makes from it, and that the names each grammar knows are the tree's.
struct PlainLine {
    /// How an option takes its value.
    enum Arity {
        /// One value, at most once.
        case value
        /// One value each time, repeatable.
        case values
        /// No value, at most once.
        case flag
    }

    /// An option: every name it answers to (the first is the one `PlainLine` keys it by).
    struct Option {
        let names: [String]
        let arity: Arity

        init(_ names: String..., arity: Arity) {
            self.names = names
            self.arity = arity
        }
    }

    /// A leaf command's line after its path: its options, and how many words it takes.
    struct Grammar {
        let options: [Option]
        /// The positional arguments; with `repeatsLast`, the last takes one or more words.
        let positionals: Int
        let repeatsLast: Bool

        init(positionals: Int, repeatsLast: Bool = false, options: [Option]) {
            self.positionals = positionals
            self.repeatsLast = repeatsLast
            self.options = options
        }

        fileprivate func option(named name: String) -> Option? {
            options.first { $0.names.contains(name) }
        }
    }

    /// The words that are not options, in order.
    let positionals: [String]
    private let values: [String: [String]]
    private let flags: Set<String>

    /// The line `arguments` makes in `grammar`, or nil when it is not a plain one.
    init?(_ arguments: ArraySlice<String>, grammar: Grammar) {
        var positionals: [String] = []
        var values: [String: [String]] = [:]
        var flags = Set<String>()
        var remaining = arguments
        while let word = remaining.popFirst() {
            guard let first = word.first else { return nil }
            guard first == "-" else {
                positionals.append(word)
                continue
            }
            guard let option = grammar.option(named: word) else { return nil }
            let key = option.names[0]
            switch option.arity {
            case .flag:
                guard flags.insert(key).inserted else { return nil }
            case .value, .values:
                guard let value = remaining.popFirst(), let start = value.first, start != "-",
                      option.arity == .values || values[key] == nil
                else { return nil }
                values[key, default: []].append(value)
            }
        }
        guard positionals.count == grammar.positionals
              || (grammar.repeatsLast && positionals.count > grammar.positionals)
        else { return nil }
        self.positionals = positionals
        self.values = values
        self.flags = flags
    }

    /// The value of a single option, by its first name; nil when not given.
    func value(_ name: String) -> String? {
        values[name]?.first
    }

    /// Every value of a repeatable option, in the order given.
    func values(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// Whether a flag was given.
    func flag(_ name: String) -> Bool {
        flags.contains(name)
    }

    /// What a line read here cannot be, so the tree has it.
    struct NotPlain: Error {}

    /// The value of an option the command requires.
    func required(_ name: String) throws(NotPlain) -> String {
        guard let value = value(name) else { throw NotPlain() }
        return value
    }
}

/// A command, or a group of its options, that can be made from a `PlainLine`.
protocol PlainParsable: ParsableArguments {
    /// The options and positional arguments it takes.
    static var plainGrammar: PlainLine.Grammar { get }

    /// Sets every property from `line`, to what the tree would set it from the same line.
    ///
    /// A method rather than an initializer: in an initializer, assigning to a property whose
    /// wrapper has a default (`@Flag var force = false`) makes a new wrapper from the value,
    /// which swift-argument-parser keeps as a definition, not as a parsed value.
    mutating func set(from line: PlainLine) throws
}

extension PlainParsable {
    /// Made from `line` and validated, as the tree validates each group and the command.
    init(_ line: PlainLine) throws {
        self.init()
        try set(from: line)
        try validate()
    }

    /// The command `arguments` (the words after its path) make; nil when they are not a plain
    /// line or do not validate, for the tree to parse and report.
    static func parsePlain(_ arguments: ArraySlice<String>) -> Self? {
        guard let line = PlainLine(arguments, grammar: plainGrammar) else { return nil }
        return try? Self(line)
    }
}

/// An `rm` command: the names of what to remove, `--force`, and the options every command takes.
protocol PlainRemoval: PlainParsable {
    var global: GlobalOptions { get set }
    var force: Bool { get set }
    var names: [String] { get set }
}

extension PlainRemoval {
    static var plainGrammar: PlainLine.Grammar {
        PlainLine.Grammar(positionals: 1, repeatsLast: true, options: GlobalOptions.plainGrammar.options
            + [.init("--force", "-f", arity: .flag)])
    }

    mutating func set(from line: PlainLine) throws {
        global = try GlobalOptions(line)
        force = line.flag("--force")
        names = line.positionals
    }
}

extension Swnet {
    /// The command `arguments` name, read as a plain line when it is one of the attach and
    /// detach commands (those conforming to `PlainParsable`); nil for the tree to parse.
    ///
    /// A switch on the words, not a table of the command types: a table's first use makes the
    /// Swift runtime build the metadata of its element type (a tuple holding a metatype of two
    /// protocols), ~40 µs more of every command's start, measured by uprobes.
    static func parsePlain(_ arguments: [String]) -> ParsableCommand? {
        guard let word = arguments.first else { return nil }
        let rest = arguments.dropFirst()
        switch word {
        case "sandbox":
            switch rest.first {
            case "create": return SandboxCommand.Create.parsePlain(rest.dropFirst())
            case "rm": return SandboxCommand.Remove.parsePlain(rest.dropFirst())
            default: return nil
            }
        case "endpoint":
            switch rest.first {
            case "create": return EndpointCommand.Create.parsePlain(rest.dropFirst())
            case "rm": return EndpointCommand.Remove.parsePlain(rest.dropFirst())
            default: return nil
            }
        case "connect": return ConnectCommand.parsePlain(rest)
        case "disconnect": return DisconnectCommand.parsePlain(rest)
        case "join": return JoinCommand.parsePlain(rest)
        case "leave": return LeaveCommand.parsePlain(rest)
        default: return nil
        }
    }
}
