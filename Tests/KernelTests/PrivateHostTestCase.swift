import Foundation
import XCTest

/// What a command printed and how it ended.
struct CommandResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs a program and waits for it.
@discardableResult
func runProgram(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    do {
        try process.run()
    } catch {
        return CommandResult(status: -1, output: "", error: "cannot run \(path): \(error)")
    }
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    // Read before waiting so a chatty command cannot fill the pipe and stall.
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         output: String(decoding: out, as: UTF8.self),
                         error: String(decoding: err, as: UTF8.self))
}

/// Base of every test that touches the kernel.
///
/// It runs only inside `scripts/private-host` (as `make test` does): a private network and mount
/// namespace, so a test can never touch the machine's interfaces. Each test gets its own state
/// directory, and must leave the host exactly as it found it: same links, no namespaces, no
/// sandbox files, no state records.
class PrivateHostTestCase: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    static var binary: String {
        ProcessInfo.processInfo.environment["SWNET_BIN"] ?? packageRoot + "/.build/debug/swnet"
    }

    var stateDirectory = ""
    let netnsDirectory = "/run/netns"
    private var baseline: [String] = []

    override func setUpWithError() throws {
        let marker = ProcessInfo.processInfo.environment["SWNET_PRIVATE_HOST"]
        let current = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        guard let marker, marker == current else {
            throw XCTSkip("kernel tests run only on a private host: use 'make test' (scripts/private-host swift test)")
        }
        stateDirectory = NSTemporaryDirectory() + "swnet-test-" + UUID().uuidString
        baseline = hostSnapshot()
    }

    override func tearDownWithError() throws {
        guard !stateDirectory.isEmpty else { return }
        // The kernel destroys a removed namespace's interfaces in the background: give it a moment.
        var left = hostSnapshot()
        for _ in 0..<100 where left != baseline {
            usleep(20_000)
            left = hostSnapshot()
        }
        XCTAssertEqual(left, baseline, "the test left objects behind")
        XCTAssertEqual(stateRecords(), [], "the test left state records behind")
        XCTAssertEqual(pendingNotes(), [], "the test left notes of namespaces in the making behind")
        XCTAssertEqual(swnetFirewallLines(), [], "the test left firewall rules or chains behind")
        removeEverything()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// Runs swnet with this test's state directory.
    @discardableResult
    func swnet(_ arguments: String..., environment: [String: String] = [:]) -> CommandResult {
        swnet(arguments, environment: environment)
    }

    @discardableResult
    func swnet(_ arguments: [String], environment: [String: String] = [:]) -> CommandResult {
        runProgram(Self.binary, arguments, environment: environment.merging(
            ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory]) { $1 })
    }

    /// Runs swnet and fails the test unless it succeeds; returns its output without the final
    /// newline.
    @discardableResult
    func swnetOK(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) -> String {
        swnetOK(arguments, file: file, line: line)
    }

    @discardableResult
    func swnetOK(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        let result = swnet(arguments)
        XCTAssertEqual(result.status, 0, "swnet \(arguments.joined(separator: " ")): \(result.error)", file: file, line: line)
        return result.output.trimmingCharacters(in: .newlines)
    }

    /// Compares `text` with Tests/KernelTests/Golden/`name`; `SWNET_UPDATE_GOLDEN=1` rewrites the
    /// file instead.
    func assertGolden(_ text: String, _ name: String, what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = Self.packageRoot + "/Tests/KernelTests/Golden/" + name
        if ProcessInfo.processInfo.environment["SWNET_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text, expected, "\(what) differs from \(name); rerun with SWNET_UPDATE_GOLDEN=1 to accept", file: file, line: line)
    }

    /// Runs a host tool (ip, ping, …) and returns its result.
    @discardableResult
    func host(_ arguments: String...) -> CommandResult {
        runProgram("/usr/bin/env", arguments)
    }

    /// Runs a command in a sandbox's namespace the way an admin would, with `ip netns exec`.
    @discardableResult
    func inSandbox(_ sandbox: String, _ arguments: String...) -> CommandResult {
        runProgram("/usr/bin/env", ["ip", "netns", "exec", sandbox] + arguments)
    }

    /// The JSON that `ip -j` prints, decoded.
    func ipJSON(_ arguments: String...) -> [[String: Any]] {
        ipJSON(arguments)
    }

    func ipJSON(_ arguments: [String]) -> [[String: Any]] {
        let result = runProgram("/usr/bin/env", ["ip", "-j"] + arguments)
        let data = Data(result.output.utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? []
    }

    /// Links, namespace files and sandbox files on the private host.
    func hostSnapshot() -> [String] {
        let links = ipJSON("link", "show").compactMap { $0["ifname"] as? String }.map { "link " + $0 }
        let namespaces = ((try? FileManager.default.contentsOfDirectory(atPath: netnsDirectory)) ?? []).map { "netns " + $0 }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: "/etc/netns")) ?? []).map { "etc/netns " + $0 }
        return (links + namespaces + files).sorted()
    }

    /// The object records in the state directory.
    func stateRecords() -> [String] {
        ["networks", "endpoints", "sandboxes", "ports", "addresses", "hosts", "ids"].flatMap { kind in
            ((try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/" + kind)) ?? []).map { kind + "/" + $0 }
        }.sorted()
    }

    /// What the intent log still holds past its header, and any note kept as a file of its own.
    func pendingNotes() -> [String] {
        let directory = stateDirectory + "/intents"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0 != "log" }
        let log = FileManager.default.contents(atPath: directory + "/log").map { String(decoding: $0, as: UTF8.self) } ?? ""
        return files + log.split(separator: "\n").dropFirst().map(String.init)
    }

    /// Every state record's bytes, by path: what a failed command must leave untouched.
    func stateBytes() -> [String: Data] {
        var files: [String: Data] = [:]
        for record in stateRecords() {
            files[record] = FileManager.default.contents(atPath: stateDirectory + "/" + record)
        }
        return files
    }

    /// Clears whatever a failed test left, so the next one starts clean.
    private func removeEverything() {
        for sandbox in swnet("sandbox", "ls", "-q").output.split(separator: "\n") {
            swnet("sandbox", "rm", "-f", String(sandbox))
        }
        for network in swnet("network", "ls", "-q").output.split(separator: "\n") {
            swnet("network", "rm", "-f", String(network))
        }
        for link in ipJSON("link", "show") where (link["ifalias"] as? String)?.hasPrefix("swnet:") == true {
            if let name = link["ifname"] as? String { host("ip", "link", "del", name) }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: netnsDirectory)) ?? [] {
            host("ip", "netns", "del", name)
        }
        if !swnetFirewallLines().isEmpty {
            flushSwnetFirewall()
        }
    }

    /// Removes every swnet rule and chain from the legacy tables, and swnet's nftables tables, as
    /// a firewall reload would.
    func flushSwnetFirewall() {
        for family in ["ip", "ip6"] {
            runProgram("/usr/bin/env", ["nft", "delete", "table", family, "swnet"])
        }
        for family in ["iptables", "ip6tables"] {
            let kept = runProgram("/usr/bin/env", ["\(family)-legacy-save"]).output.split(separator: "\n")
                .filter { !$0.contains("swnet") && !$0.contains("SWNET") }.joined(separator: "\n") + "\n"
            let restore = Process()
            restore.executableURL = URL(fileURLWithPath: "/usr/sbin/\(family)-legacy-restore")
            let input = Pipe()
            restore.standardInput = input
            try? restore.run()
            input.fileHandleForWriting.write(Data(kept.utf8))
            try? input.fileHandleForWriting.close()
            restore.waitUntilExit()
        }
    }
}
