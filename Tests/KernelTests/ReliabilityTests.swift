import Foundation
import XCTest

/// Parallel writers, privileges, and a soak of random operations with random kills.
final class ReliabilityTests: PrivateHostTestCase {
    /// Starts swnet without waiting for it.
    private func launch(_ arguments: [String], failpoint: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        var environment = ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory]
        environment["SWNET_FAILPOINT"] = failpoint
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testThirtyTwoMixedWritersEightAtATime() throws {
        swnetOK("network", "create", "busy", "--subnet", "10.68.0.0/24")
        for index in 0..<8 { swnetOK("sandbox", "create", "old\(index)") }
        for index in 0..<4 { swnetOK("connect", "busy", "old\(index)") }
        var commands: [[String]] = []
        for index in 0..<8 {
            commands.append(["sandbox", "create", "new\(index)"])
            commands.append(["endpoint", "create", "--network", "busy", "ep\(index)"])
            commands.append(index < 4 ? ["disconnect", "busy", "old\(index)"] : ["connect", "busy", "old\(index)"])
            commands.append(["network", "create", "net\(index)"])
        }
        XCTAssertEqual(commands.count, 32)
        for wave in stride(from: 0, to: commands.count, by: 8) {
            let processes = try commands[wave..<wave + 8].map { try launch($0) }
            processes.forEach { $0.waitUntilExit() }
            XCTAssertEqual(processes.map(\.terminationStatus), Array(repeating: 0, count: 8))
        }
        XCTAssertEqual(swnetOK("sandbox", "ls", "-q").split(separator: "\n").count, 16, "no lost sandbox")
        XCTAssertEqual(swnetOK("network", "ls", "-q").split(separator: "\n").count, 9, "no lost network")
        let endpoints = try JSONSerialization.jsonObject(with: Data(swnetOK("endpoint", "ls", "--format", "json").utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(endpoints.count, 12)
        let addresses = endpoints.compactMap { $0["ipv4Address"] as? String }
        XCTAssertEqual(Set(addresses).count, addresses.count, "no duplicate address")
        let subnets = swnetOK("network", "ls", "--format", "json")
        let networks = try JSONSerialization.jsonObject(with: Data(subnets.utf8)) as? [[String: Any]] ?? []
        let cidrs = networks.compactMap { ($0["ipam"] as? [[String: Any]])?.first?["subnet"] as? String }
        XCTAssertEqual(Set(cidrs).count, 9, "no duplicate subnet")
        XCTAssertEqual(swnetOK("system", "check"), "")
        swnetOK("sandbox", "rm", "old0", "old1", "old2", "old3", "old4", "old5", "old6", "old7")
        for index in 0..<8 { swnetOK("sandbox", "rm", "new\(index)") }
        swnetOK("network", "rm", "--force", "busy")
        for index in 0..<8 { swnetOK("network", "rm", "net\(index)") }
    }

    func testNonRootIsRefusedFirstAndFilesArePrivate() throws {
        swnetOK("network", "create", "n", "--subnet", "10.67.0.0/24")
        let before = try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/networks")
        let result = runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary,
                                                    "network", "create", "m"],
                                environment: ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.error.hasPrefix("swnet: error: must run as root"), result.error)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/networks"), before)
        let directory = try FileManager.default.attributesOfItem(atPath: stateDirectory)
        XCTAssertEqual((directory[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: stateDirectory + "/networks/n.json")
        XCTAssertEqual((file[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        swnetOK("network", "rm", "n")
    }

    /// 300 random operations, some crashed at a random step, some killed at a random moment and
    /// followed by `system gc` (what a CI job cleaning up after a killed step runs); at the end,
    /// the state and the kernel must agree with nothing left over.
    func testSoakOfRandomOperationsAndKills() throws {
        var generator = SystemRandomNumberGenerator()
        let networks = ["a", "b", "c"]
        let sandboxes = (0..<6).map { "s\($0)" }
        for (index, name) in networks.enumerated() {
            swnetOK("network", "create", name, "--subnet", "10.66.\(index).0/24")
        }
        let failpoints = Failpoints.all
        var crashed = 0
        var killed = 0
        for step in 0..<300 {
            let network = networks.randomElement(using: &generator)!
            let sandbox = sandboxes.randomElement(using: &generator)!
            let arguments: [String]
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: arguments = ["sandbox", "create", sandbox]
            case 1: arguments = ["sandbox", "rm", sandbox]
            case 2: arguments = ["connect", network, sandbox, "--publish", "\(20000 + step)/tcp"]
            case 3: arguments = ["disconnect", network, sandbox]
            case 4: arguments = ["endpoint", "create", "--network", network, "e\(step % 10)"]
            default: arguments = ["endpoint", "rm", "--force", "e\(step % 10)"]
            }
            let roll = Int.random(in: 0..<10, using: &generator)
            if roll == 0 {
                let process = try launch(arguments, failpoint: failpoints.randomElement(using: &generator)! + ":crash")
                process.waitUntilExit()
                if process.terminationStatus == 70 { crashed += 1 }
                swnetOK("system", "gc")
            } else if roll == 1 {
                let process = try launch(arguments)
                usleep(UInt32.random(in: 0..<8_000, using: &generator))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                killed += 1
                swnetOK("system", "gc")
            } else {
                let result = swnet(arguments)
                XCTAssertTrue([0, 1, 2].contains(result.status), "\(arguments): \(result.error)")
                XCTAssertFalse(result.error.contains("Fatal error"), result.error)
            }
        }
        XCTAssertGreaterThan(crashed + killed, 10)
        swnetOK("system", "gc")
        XCTAssertEqual(swnetOK("system", "check"), "", "zero drift after \(crashed) crashes and \(killed) kills")
        // Every record still makes sense to the commands that read it.
        for sandbox in swnetOK("sandbox", "ls", "-q").split(separator: "\n") { swnetOK("sandbox", "rm", String(sandbox)) }
        for endpoint in swnetOK("endpoint", "ls", "-q").split(separator: "\n") { swnetOK("endpoint", "rm", String(endpoint)) }
        swnetOK("network", "rm", "a", "b", "c")
        XCTAssertEqual(swnetOK("system", "check"), "")
    }
}

/// The failpoint names a soak may crash at.
enum Failpoints {
    static let all = ["create-namespace", "prepare-namespace", "remove-namespace", "attach-veth", "detach-veth",
                      "publish-ports", "unpublish-ports", "flush-connections", "before-commit", "during-commit"]
}
