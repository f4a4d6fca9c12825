import ArgumentParser
import FoundationEssentials
import XCTest

@testable import swnet

/// `Swnet.parsePlain` reads the attach and detach commands without swift-argument-parser: for
/// every line it takes, the tree must make the same command with the same values; every other
/// line must be left to the tree; and each grammar must know exactly the tree's options.
final class PlainLineTests: XCTestCase {
    /// Lines a user or a script types; between them, every option of every plain command.
    static let plainLines: [[String]] = [
        ["sandbox", "create", "s1"],
        ["sandbox", "create", "s1", "--network", "blue", "-p", "8080:80"],
        ["sandbox", "create", "--hostname", "web", "--domainname", "example.org", "--dns", "10.0.0.53", "--dns", "10.0.0.54",
         "--dns-search", "example.org", "--add-host", "db:10.1.0.9", "--netns", "/proc/1/ns/net", "--label", "a=b",
         "--label", "c=d=e", "--network", "blue", "--network", "red", "--ip", "10.1.0.5", "--ip6", "fd00::5",
         "--mac", "02:42:0a:01:00:05", "--alias", "www", "-p", "8080:80", "--publish", "53:53/udp", "--ignore",
         "--state-dir", "/tmp/s", "--netns-dir", "/tmp/n", "--debug", "s1"],
        ["sandbox", "create", "--hostname", "wéb", "help"],
        ["sandbox", "rm", "s1"], ["sandbox", "rm", "-f", "s1", "s2", "s3"], ["sandbox", "rm", "s1", "--force", "--debug", "version"],
        ["endpoint", "create", "--network", "blue", "e1"],
        ["endpoint", "create", "--network", "n", "w1", "--publish", "20001:80"],
        ["endpoint", "create", "--network", "blue", "--ip", "10.1.0.5", "--ip6", "fd00::5", "--mac", "02:42:0a:01:00:05",
         "--alias", "db", "--alias", "db2", "-p", "8080:80", "--label", "a=b", "--ignore", "--state-dir", "/tmp/s",
         "--netns-dir", "/tmp/n", "--debug", "e1"],
        ["endpoint", "rm", "e1"], ["endpoint", "rm", "--force", "e1", "e2"], ["endpoint", "rm", "-f", "--state-dir", "/tmp/s", "e1"],
        ["connect", "blue", "s1"], ["connect", "blue", "s1", "--publish", "20001:80"],
        ["connect", "--name", "web", "--ifname", "eth3", "--ip", "10.1.0.5", "--ip6", "fd00::5", "--mac", "02:42:0a:01:00:05",
         "--alias", "www", "-p", "80", "--publish", "53:53/udp", "--label", "a=b", "--state-dir", "/tmp/s", "--debug",
         "blue", "s1"],
        ["disconnect", "blue", "s1"], ["disconnect", "--netns-dir", "/tmp/n", "blue", "s1"],
        ["join", "e1", "s1"], ["join", "--ifname", "eth7", "e1", "s1"], ["join", "e1", "--debug", "s1"],
        ["leave", "e1"], ["leave", "e1", "--state-dir", "/tmp/s"],
    ]

    /// Lines of the same commands that only the tree reads: help, other forms, mistakes.
    static let otherLines: [[String]] = [
        ["sandbox", "create", "s1", "--help"], ["sandbox", "create", "-h"], ["connect", "blue", "s1", "--version"],
        ["connect", "--experimental-dump-help"], ["sandbox", "create", "--generate-completion-script", "zsh"],
        ["connect", "blue", "s1", "--publish=80"], ["connect", "blue", "s1", "-p80"], ["sandbox", "rm", "-fq", "s1"],
        ["sandbox", "rm", "--", "-s1"], ["join", "e1", "--", "s1"],
        ["connect", "blue", "s1", "--name", "a", "--name", "b"], ["sandbox", "rm", "-f", "--force", "s1"],
        ["leave", "--debug", "--debug", "e1"],
        ["connect", "blue", "s1", "--name", "-x"], ["join", "e1", "s1", "--ifname"], ["sandbox", "rm", "-1"],
        ["sandbox", "create", ""], ["connect", "blue", "s1", "--label", ""],
        ["sandbox", "create", "--hostnme", "x", "s1"], ["sandbox", "create"], ["sandbox", "create", "s1", "s2"],
        ["sandbox", "rm"], ["join", "e1"], ["connect", "blue", "s1", "extra"], ["leave"],
        ["endpoint", "create", "e1"], ["endpoint", "create", "--network", "a", "--network", "b", "e1"],
        ["sandbox", "create", "s1", "-p", "8080:80"],
        ["sandbox", "make", "s1"], ["sandbox"], ["connectx", "blue", "s1"], [],
    ]

    func testPlainLinesMakeWhatTheTreeMakes() throws {
        try CommandTree.assertShortcut(Swnet.parsePlain, parsesAsTheTree: Self.plainLines)
    }

    /// The leaves of the tree that conform to `PlainParsable`, by the words that name them.
    private static let plainCommands = CommandTree.leaves().compactMap { path, command in
        (command as? any PlainParsable.Type).map { (path, $0) }
    }

    /// `Swnet.parsePlain` switches on the words: each plain command must be reached by its own.
    func testEveryPlainCommandIsReachedByItsWords() {
        XCTAssertEqual(Set(Self.plainCommands.map { $0.0.joined(separator: " ") }),
                       ["sandbox create", "sandbox rm", "endpoint create", "endpoint rm", "connect", "disconnect", "join", "leave"])
        let reached = Self.plainLines.compactMap { line in Swnet.parsePlain(line).map { (line, type(of: $0)) } }
        for (path, command) in Self.plainCommands {
            XCTAssertTrue(reached.contains { $0.0.starts(with: path) && $0.1 == command }, "no plain line reaches 'swnet \(path.joined(separator: " "))'")
        }
    }

    func testOtherLinesAreLeftToTheTree() {
        for line in Self.otherLines {
            XCTAssertNil(Swnet.parsePlain(line), "\(line)")
        }
    }

    /// A grammar that missed an option the tree has would leave its lines to the tree, only
    /// slower; one that knew an option the tree no longer has, or took a value where the tree
    /// takes none, would read a line the tree refuses. So each grammar must be the tree's.
    func testEachGrammarIsTheTrees() throws {
        for (path, command) in Self.plainCommands {
            let named = "'swnet \(path.joined(separator: " "))'"
            let arguments = try Self.treeArguments(path)

            let treeOptions = Set(arguments.compactMap { argument -> String? in
                guard argument.kind != "positional" else { return nil }
                let names = (argument.names ?? []).map { ($0.kind == "short" ? "-" : "--") + $0.name }.sorted()
                guard !names.contains("--help"), !names.contains("--version") else { return nil }
                XCTAssertNil(argument.defaultValue, "\(named) \(names): a default other than none, empty or false")
                let arity: PlainLine.Arity = argument.kind == "flag" ? .flag : argument.isRepeating ? .values : .value
                return "\(names) \(arity)"
            })
            let plainOptions = Set(command.plainGrammar.options.map { "\($0.names.sorted()) \($0.arity)" })
            XCTAssertEqual(plainOptions, treeOptions, named)
            XCTAssertEqual(plainOptions.count, command.plainGrammar.options.count, "\(named) names an option twice")

            let positionals = arguments.filter { $0.kind == "positional" }
            XCTAssertEqual(command.plainGrammar.positionals, positionals.count, named)
            XCTAssertEqual(command.plainGrammar.repeatsLast, positionals.last?.isRepeating ?? false, named)
        }
    }

    /// An argument as swift-argument-parser describes it (`--experimental-dump-help`).
    private struct TreeArgument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        var kind: String
        var names: [Name]?
        var isRepeating: Bool
        var defaultValue: String?
    }

    private struct Dump: Decodable {
        struct Command: Decodable {
            var arguments: [TreeArgument]?
        }

        var command: Command
    }

    private static func treeArguments(_ path: [String]) throws -> [TreeArgument] {
        do {
            _ = try Swnet.parseAsRoot(path + ["--experimental-dump-help"])
        } catch {
            let dump = try JSONDecoder().decode(Dump.self, from: Data(Swnet.fullMessage(for: error).utf8))
            return dump.command.arguments ?? []
        }
        XCTFail("'swnet \(path.joined(separator: " ")) --experimental-dump-help' dumped nothing")
        return []
    }
}
