import ArgumentParser
import XCTest

@testable import swnet

/// `Swnet.parseLeaf` is a shortcut: for every line it takes, the whole tree must parse the
/// same command with the same values; every other line must be left to the tree.
final class LeafParsingTests: XCTestCase {
    /// Lines a user or a script types, one or more per leaf.
    static let plainLines: [[String]] = [
        ["version"],
        ["network", "create", "blue"],
        ["network", "create", "--subnet", "10.1.0.0/24", "--gateway", "10.1.0.254", "-o", "mtu=1400", "--label", "ci=1", "blue"],
        ["network", "create", "-d", "null", "--internal", "--ipv6", "--ignore", "blue", "--state-dir", "/tmp/s"],
        ["network", "ls"], ["network", "ls", "-q", "--filter", "label=ci", "--format", "{{.Name}}", "--no-trunc"],
        ["network", "inspect", "blue", "red"], ["network", "rm", "-f", "blue"], ["network", "prune", "--force"],
        ["sandbox", "create", "s1"],
        ["sandbox", "create", "--hostname", "web", "--dns", "10.0.0.53", "--add-host", "db:10.1.0.9", "--label", "a=b", "s1"],
        ["sandbox", "ls", "--quiet"], ["sandbox", "inspect", "s1"], ["sandbox", "rm", "s1", "s2"], ["sandbox", "prune", "-f"],
        ["endpoint", "create", "--network", "blue", "--ip", "10.1.0.5", "--alias", "db", "-p", "8080:80", "e1"],
        ["endpoint", "ls", "--filter", "network=blue"], ["endpoint", "inspect", "e1"], ["endpoint", "rm", "e1"],
        ["join", "e1", "s1"], ["join", "--ifname", "eth7", "e1", "s1"], ["leave", "e1"], ["network", "exists", "blue"],
        ["connect", "blue", "s1"], ["connect", "--publish", "20001:80", "--publish", "53:53/udp", "--name", "web", "blue", "s1"],
        ["disconnect", "blue", "s1"],
        ["inspect", "blue", "s1", "--format", "{{.Name}}"],
        ["exec", "s1", "--", "ip", "-h", "--version", "addr"],
        ["up", "--file", "lab.yaml"], ["down", "--project", "lab"],
        ["system", "info"], ["system", "check", "--debug"], ["system", "gc"], ["system", "restore", "--netns-dir", "/tmp/n"],
    ]

    /// Lines the tree answers some other way: help, version, completions, mistakes.
    static let otherLines: [[String]] = [
        [], ["network"], ["help"], ["help", "sandbox", "create"], ["--help"], ["--version"], ["-h"],
        ["network", "create", "--help"], ["network", "create", "-h"], ["network", "create", "--version"],
        ["sandbox", "create", "s1", "-h"], ["connect", "-ph", "blue", "s1"],
        ["--generate-completion-script", "bash"], ["--generate-completion-script"],
        ["sandbox", "create", "--generate-completion-script", "zsh"],
        ["---completion", "sandbox", "create", "--", "--hostname"], ["--experimental-dump-help"],
        ["sandbox", "create"], ["sandbox", "create", "s1", "s2"], ["sandbox", "create", "--hostnme", "x", "s1"],
        ["network", "create", "--mtu", "many", "blue"], ["join", "e1"], ["nework", "ls"], ["sandbox", "make", "s1"],
    ]

    func testPlainLinesParseAsTheTreeParsesThem() throws {
        try CommandTree.assertShortcut(Swnet.parseLeaf, parsesAsTheTree: Self.plainLines)
    }

    func testEveryLeafOfTheTreeIsReached() {
        let reached = Set(Self.plainLines.compactMap { Swnet.parseLeaf($0) }.map { ObjectIdentifier(type(of: $0)) })
        for (path, command) in CommandTree.leaves() {
            XCTAssertTrue(reached.contains(ObjectIdentifier(command)), "no plain line for 'swnet \(path.joined(separator: " "))'")
            // Without it the shortcut still parses right, only slower.
            XCTAssertNotNil(command.configuration._superCommandName, "'swnet \(path.joined(separator: " "))' is not configured with .leaf")
        }
    }

    func testOtherLinesAreLeftToTheTree() {
        let leaves = Set(CommandTree.leaves().map { ObjectIdentifier($0.1) })
        for line in Self.otherLines {
            XCTAssertNil(Swnet.parseLeaf(line), "\(line)")
            // The tree answers them with help or an error, never by running a leaf.
            if let parsed = try? Swnet.parseAsRoot(line) {
                XCTAssertFalse(leaves.contains(ObjectIdentifier(type(of: parsed))), "\(line) runs \(type(of: parsed))")
            }
        }
    }
}
