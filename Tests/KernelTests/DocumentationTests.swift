import Foundation
import XCTest

/// What ships beside the binary works: completion scripts complete real names, every man page
/// renders, every example topology comes up and goes down.
final class DocumentationTests: PrivateHostTestCase {
    private static let completions = packageRoot + "/completions"

    /// What bash offers for the words typed so far (the last one being completed), through the
    /// committed completion script and this test's state directory.
    private func bashCompletions(_ words: [String]) -> [String] {
        let quoted = ([Self.binary] + words).map { "'\($0)'" }.joined(separator: " ")
        let script = """
            source '\(Self.completions)/swnet.bash'
            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count)
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            _swnet swnet "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = runProgram("/bin/bash", ["-c", script], environment: ["SWNET_STATE_DIR": stateDirectory])
        XCTAssertEqual(result.status, 0, result.error)
        return result.output.split(separator: "\n").map(String.init).sorted()
    }

    func testCompletionScriptsParseAndCompleteObjectNames() throws {
        XCTAssertEqual(runProgram("/bin/bash", ["-n", Self.completions + "/swnet.bash"]).status, 0)
        for (shell, script) in [("/usr/bin/zsh", "_swnet"), ("/usr/bin/fish", "swnet.fish")]
        where FileManager.default.isExecutableFile(atPath: shell) {
            XCTAssertEqual(runProgram(shell, ["-n", Self.completions + "/" + script]).status, 0, shell)
        }
        swnetOK("network", "create", "green", "--subnet", "10.71.0.0/24")
        swnetOK("sandbox", "create", "alpha")
        swnetOK("sandbox", "create", "beta")
        swnetOK("connect", "green", "alpha")

        XCTAssertEqual(bashCompletions(["sandbox", "rm", ""]), ["alpha", "beta"])
        XCTAssertEqual(bashCompletions(["sandbox", "rm", "al"]), ["alpha"])
        XCTAssertEqual(bashCompletions(["exec", "b"]), ["beta"])
        XCTAssertEqual(bashCompletions(["connect", ""]), ["green"])
        XCTAssertEqual(bashCompletions(["connect", "green", ""]), ["alpha", "beta"])
        XCTAssertEqual(bashCompletions(["leave", ""]), ["alpha.green"])
        XCTAssertEqual(bashCompletions(["endpoint", "create", "--network", "g"]), ["green"])
        XCTAssertEqual(bashCompletions(["inspect", "a"]), ["alpha", "alpha.green"])
        XCTAssertTrue(bashCompletions(["network", ""]).contains("prune"))
        // Another state directory on the command line is the one completed from.
        XCTAssertEqual(bashCompletions(["sandbox", "rm", "--state-dir", "/nonexistent", ""]), [])

        swnetOK("sandbox", "rm", "alpha", "beta")
        swnetOK("network", "rm", "green")
    }

    func testEveryManPageRenders() throws {
        let directory = Self.packageRoot + "/man"
        let pages = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertTrue(pages.contains("swnet.1") && pages.contains("swnet-topology.5") && pages.contains("swnet.up.1"), "\(pages)")
        for page in pages {
            let result = runProgram("/usr/bin/man", ["--warnings", "-l", directory + "/" + page], environment: ["MANWIDTH": "80"])
            XCTAssertEqual(result.status, 0, "\(page): \(result.error)")
            XCTAssertEqual(result.error, "", "\(page) renders with warnings")
            // Without a terminal, man marks bold text by overstriking: X, backspace, X.
            let text = result.output.replacingOccurrences(of: ".\u{8}", with: "", options: .regularExpression)
            XCTAssertTrue(text.contains("NAME") && text.contains("swnet"), "\(page) rendered nothing")
        }
    }

    func testEveryExampleComesUpTwiceAndGoesDown() throws {
        let directory = Self.packageRoot + "/examples"
        let examples = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertFalse(examples.isEmpty)
        for example in examples {
            let path = directory + "/" + example
            let name = String(example.split(separator: ".")[0])
            XCTAssertTrue(swnetOK("up", "-f", path).contains("created"), example)
            XCTAssertEqual(swnetOK("up", "-f", path), "topology \(name) is up to date", example)
            swnetOK("system", "check")
            swnetOK("down", "-f", path)
            XCTAssertEqual(stateRecords(), [], example)
        }
    }
}
