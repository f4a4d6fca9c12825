import ArgumentParser

extension Swnet {
    /// The command `arguments` name, parsed by its leaf command alone; nil when the line does
    /// not plainly name a leaf or does not parse that way, for the whole tree to parse it
    /// again and report (help, `--version`, completions, every error) exactly as it would.
    ///
    /// Every swnet command is a new process. From the root, swift-argument-parser parses a line
    /// level by level and, before that, twice more in search of `--generate-completion-script`,
    /// each parse reflecting on every option type it meets: ~0.9 ms of a command's start here,
    /// measured (a fifth of `swnet version`). The leaf alone skips both.
    static func parseLeaf(_ arguments: [String]) -> ParsableCommand? {
        var command: ParsableCommand.Type = Swnet.self
        var remaining = arguments[...]
        while !command.configuration.subcommands.isEmpty {
            guard let word = remaining.first,
                let next = command.configuration.subcommands.first(where: { $0.isNamed(word) })
            else { return nil }
            command = next
            remaining = remaining.dropFirst()
        }
        return parse(Array(remaining), as: command)
    }

    private static func parse<Command: ParsableCommand>(_ arguments: [String], as _: Command.Type) -> ParsableCommand? {
        // A help request parses as a `HelpCommand`: only the leaf itself counts as success.
        (try? LeafAsRoot<Command>.parseAsRoot(arguments) as? LeafAsRoot<Command>)?.command
    }
}

extension ParsableCommand {
    fileprivate static func isNamed(_ word: String) -> Bool {
        _commandName == word || configuration.aliases.contains(word)
    }
}

/// A leaf command standing as the root of its own parse.
///
/// A super-command name is what tells swift-argument-parser to skip its completion-script
/// search; it is never shown, since any line this fails to parse goes to the whole tree.
private struct LeafAsRoot<Command: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration {
        var configuration = Command.configuration
        configuration._superCommandName = Swnet._commandName
        return configuration
    }

    /// The leaf's own options and arguments; parsing the group validates the leaf.
    @OptionGroup var command: Command
}
