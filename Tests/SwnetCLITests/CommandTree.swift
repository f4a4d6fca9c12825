import ArgumentParser
import XCTest

@testable import swnet

/// The command tree as the shortcuts' tests walk it.
enum CommandTree {
    /// Every leaf command under `command`, with the words that name it.
    static func leaves(of command: ParsableCommand.Type = Swnet.self, path: [String] = []) -> [([String], ParsableCommand.Type)] {
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty else { return [(path, command)] }
        return subcommands.flatMap { leaves(of: $0, path: path + [$0._commandName]) }
    }

    /// Fails unless `shortcut` takes each of `lines` and makes from it the command the whole
    /// tree makes, every stored value the same.
    static func assertShortcut(_ shortcut: ([String]) -> ParsableCommand?, parsesAsTheTree lines: [[String]],
                               file: StaticString = #filePath, line testLine: UInt = #line) throws {
        for line in lines {
            guard let short = shortcut(line) else {
                XCTFail("\(line) was left to the tree", file: file, line: testLine)
                continue
            }
            let tree = try Swnet.parseAsRoot(line)
            XCTAssertTrue(type(of: short) == type(of: tree), "\(line): \(type(of: short)) against \(type(of: tree))",
                          file: file, line: testLine)
            XCTAssertEqual(dumped(short), dumped(tree), "\(line)", file: file, line: testLine)
        }
    }

    /// Every stored value of a parsed command, property wrappers included.
    private static func dumped(_ command: ParsableCommand) -> String {
        var text = ""
        dump(command, to: &text)
        return text
    }
}
