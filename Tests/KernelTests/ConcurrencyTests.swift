import Foundation
import KernelOps
import XCTest

/// Signals in the middle of a command, and writers waiting for each other.
final class ConcurrencyTests: PrivateHostTestCase {
    func testASignalMidCommandLetsItFinishFirst() throws {
        for (index, signal) in [SIGTERM, SIGINT].enumerated() {
            let name = "sig\(index)"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["network", "create", name, "--subnet", "10.74.\(index).0/24"]
            process.environment = ["SWNET_STATE_DIR": stateDirectory, "SWNET_NETNS_DIR": netnsDirectory,
                                   "SWNET_FAILPOINT": "create-bridge:pause"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Inside the pause that follows the bridge's creation, however long the start took.
            let deadline = Date().addingTimeInterval(10)
            while ipJSON("link", "show", "type", "bridge").isEmpty && Date() < deadline {
                usleep(5_000)
            }
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)
            XCTAssertEqual(process.terminationStatus, signal)
            // It died of the signal, but only after finishing: state, bridge and rules agree.
            let network = swnet("network", "inspect", name)
            XCTAssertEqual(network.status, 0, network.error)
            let bridge = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(network.output.utf8)) as? [[String: Any]])?
                .first?["bridgeName"] as? String)
            XCTAssertNotNil(ipJSON("link", "show", "dev", bridge).first)
            XCTAssertTrue(swnetFirewallLines().contains { $0.contains("-A SWNET-ISOLATION-2 -o \(bridge) ") })
            swnetOK("network", "rm", name)
        }
    }

    func testAWaitingWriterNamesTheHolderAndGivesUp() throws {
        swnetOK("network", "create", "first", "--subnet", "10.73.0.0/24")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            f = open(sys.argv[1], 'r+'); fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0); f.write(f'{os.getpid()}\\n'); f.flush(); print('held', flush=True); time.sleep(4)
            """, stateDirectory + "/lock"]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.terminate() }
        _ = output.fileHandleForReading.availableData  // "held"
        let started = Date()
        let waiting = swnet(["network", "create", "second", "--subnet", "10.72.0.0/24"], environment: ["SWNET_LOCK_TIMEOUT": "2"])
        XCTAssertEqual(waiting.status, 2)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2)
        let lines = waiting.error.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, waiting.error)
        XCTAssertTrue(lines[0].hasPrefix("swnet: warning: waiting for the state lock held by pid \(holder.processIdentifier) ("), lines[0])
        XCTAssertTrue(lines[0].contains("python3 -c import fcntl"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("swnet: error: timed out after 2s waiting for the state lock"), lines[1])
        holder.terminate()
        holder.waitUntilExit()
        swnetOK("network", "create", "second", "--subnet", "10.72.0.0/24")
        swnetOK("network", "rm", "first", "second")
    }
}

/// The xtables lock has no pid in it: its holder comes from /proc/locks.
final class LockHolderTests: XCTestCase {
    func testTheHolderOfAnFlockIsNamed() throws {
        let path = NSTemporaryDirectory() + "swnet-lock-" + UUID().uuidString
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertNil(LockHolder.describe(path: path))
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", "import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(5)", path]
        let output = Pipe()
        holder.standardOutput = output
        try holder.run()
        defer { holder.terminate() }
        _ = output.fileHandleForReading.availableData
        let description = try XCTUnwrap(LockHolder.describe(path: path))
        XCTAssertTrue(description.hasPrefix("pid \(holder.processIdentifier) ("), description)
        XCTAssertTrue(description.contains("python3 -c import fcntl"), description)
    }
}
