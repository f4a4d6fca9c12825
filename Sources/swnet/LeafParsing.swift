import ArgumentParser

extension Swnet {
    /// The command `arguments` name, parsed by its leaf command alone; nil when the line does
    /// not plainly name a leaf or does not parse that way, for the whole tree to parse it
    /// again and report (help, `--version`, completions, every error) exactly as it would.
    ///
    /// Every swnet command is a new process. From the root, swift-argument-parser parses a line
    /// level by level and, before that, twice more in search of `--generate-completion-script`,
    /// each parse reflecting on every option type it meets: ~1 ms of a command's start here,
    /// measured. The leaf alone, as a root with a super-command (`CommandConfiguration.leaf`),
    /// skips both.
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
        // A help request parses as a `HelpCommand`: only the leaf itself counts as success.
        guard let parsed = try? command.parseAsRoot(Array(remaining)), type(of: parsed) == command else { return nil }
        return parsed
    }
}

extension CommandConfiguration {
    /// The configuration of a command without subcommands.
    ///
    /// It names a super-command, which is what makes swift-argument-parser skip its search for
    /// `--generate-completion-script` when `Swnet.parseLeaf` parses the leaf as a root. The name
    /// is shown nowhere: help, errors and completions all come from the whole tree, whose root
    /// has none.
    static func leaf(_ name: String, abstract: String, discussion: String = "") -> CommandConfiguration {
        CommandConfiguration(commandName: name, _superCommandName: Swnet._commandName,
                             abstract: abstract, discussion: discussion)
    }
}

extension ParsableCommand {
    fileprivate static func isNamed(_ word: String) -> Bool {
        _commandName == word || configuration.aliases.contains(word)
    }
}
