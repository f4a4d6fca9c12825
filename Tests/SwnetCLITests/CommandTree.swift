import ArgumentParser

@testable import swnet

/// The command tree as the shortcuts' tests walk it.
enum CommandTree {
    /// Every leaf command under `command`, with the words that name it.
    static func leaves(of command: ParsableCommand.Type = Swnet.self, path: [String] = []) -> [([String], ParsableCommand.Type)] {
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty else { return [(path, command)] }
        return subcommands.flatMap { leaves(of: $0, path: path + [$0._commandName]) }
    }

    /// Every stored value of a parsed command, property wrappers included.
    static func dumped(_ command: ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }
}
