import Foundation
import KernelOps
@testable import SwnetCore
import XCTest

/// The controller's ordering, rollback and bookkeeping, against a recording kernel.
final class ControllerTests: XCTestCase {
    private var root = ""
    private var kernel = RecordingKernel()
    private var controller: Controller!

    override func setUpWithError() throws {
        try XCTSkipUnless(geteuid() == 0, "mutating commands need root")
        root = NSTemporaryDirectory() + "swnet-unit-" + UUID().uuidString
        var options = ControllerOptions()
        options.stateDirectory = root + "/state"
        options.netnsDirectory = root + "/netns"
        options.etcNetnsDirectory = root + "/etc"
        options.hostResolvConf = root + "/resolv.conf"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "nameserver 127.0.0.53\nnameserver 10.9.9.9\nsearch corp.test\n".write(toFile: options.hostResolvConf, atomically: true, encoding: .utf8)
        kernel = RecordingKernel()
        controller = Controller(options: options, kernel: kernel)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func stateFiles() -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root + "/state"
        for kind in ["networks", "endpoints", "sandboxes"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: base + "/" + kind)) ?? [] {
                files[kind + "/" + name] = FileManager.default.contents(atPath: base + "/" + kind + "/" + name)
            }
        }
        return files
    }

    func testCNMFlowTalksToTheKernelInOrder() throws {
        var options = NetworkOptions()
        options.addresses = AddressRequest(subnets: ["10.7.0.0/24"])
        let network = try controller.newNetwork(name: "net", options: options)
        let endpoint = try network.createEndpoint(name: "ep")
        let sandbox = try controller.newSandbox(containerID: "box", options: [.hostname("box")])
        try endpoint.join(sandbox)
        let bridge = "swbr-" + network.id.prefix(10)
        XCTAssertEqual(kernel.calls, [
            "createBridge \(bridge) 10.7.0.1/24",
            "setSysctl net/ipv4/ip_forward=1",
            "createNamespace \(root)/netns/box",
            "bringUpLoopback \(root)/netns/box",
            "attachVeth eth0 10.7.0.2/24 via 10.7.0.1",
        ])
        XCTAssertEqual(try endpoint.driverInfo()[NetLabel.macAddress], "02:42:0a:07:00:02")
        let hosts = try String(contentsOfFile: root + "/etc/box/hosts", encoding: .utf8)
        XCTAssertTrue(hosts.contains("10.7.0.2\tbox\n"), hosts)
        let resolv = try String(contentsOfFile: root + "/etc/box/resolv.conf", encoding: .utf8)
        XCTAssertTrue(resolv.contains("nameserver 10.9.9.9\n"), resolv)
        XCTAssertFalse(resolv.contains("127.0.0.53"), resolv)
        XCTAssertTrue(resolv.contains("search corp.test\n"), resolv)

        let hostInterface = try XCTUnwrap(endpoint.driverInfo()[NetLabel.hostInterface])
        XCTAssertTrue(hostInterface.hasPrefix("swv") && hostInterface.count == 15, hostInterface)
        try sandbox.delete()
        XCTAssertEqual(kernel.calls.last, "removeNamespace \(root)/netns/box",
                       "the namespace's teardown takes the veth with it; no per-veth delete")
        XCTAssertEqual(try controller.endpoint("ep").record.sandboxID, nil, "an endpoint made by endpoint create survives its sandbox")
        try endpoint.delete()
        try network.delete()
        XCTAssertEqual(kernel.calls.last, "deleteLink \(bridge)")
        XCTAssertEqual(stateFiles(), [:])
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/etc/box"))
    }

    func testFailedJoinUndoesEverythingAndKeepsStateBytes() throws {
        _ = try controller.newNetwork(name: "net")
        _ = try controller.newSandbox(containerID: "box")
        let before = stateFiles()
        kernel.failOn = "attachVeth"
        XCTAssertThrowsError(try controller.connect(network: "net", sandbox: "box")) { error in
            XCTAssertEqual((error as? SwnetError)?.kind, .system)
        }
        XCTAssertEqual(stateFiles(), before, "the endpoint's allocation must not survive a failed connect")
    }

    func testFailedSandboxCreateRemovesTheNamespace() throws {
        kernel.failOn = "bringUpLoopback"
        XCTAssertThrowsError(try controller.newSandbox(containerID: "box"))
        XCTAssertEqual(kernel.calls, ["createNamespace \(root)/netns/box", "bringUpLoopback \(root)/netns/box",
                                      "removeNamespace \(root)/netns/box"])
        XCTAssertEqual(stateFiles(), [:])
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/etc/box"))
    }

    func testFailedForcedNetworkRemovalReattachesEndpoints() throws {
        let network = try controller.newNetwork(name: "net")
        _ = try controller.newSandbox(containerID: "box")
        try controller.connect(network: "net", sandbox: "box")
        let before = stateFiles()
        kernel.failOn = "deleteLink swbr"
        XCTAssertThrowsError(try network.delete(force: true))
        XCTAssertEqual(stateFiles(), before)
        XCTAssertTrue(kernel.calls.last?.hasPrefix("attachVeth eth0") == true, "the veth comes back: \(kernel.calls)")
    }

    func testDefaultRouteMovesToTheNextNetworkOnLeave() throws {
        var first = NetworkOptions()
        first.addresses = AddressRequest(subnets: ["10.8.1.0/24"])
        var second = NetworkOptions()
        second.addresses = AddressRequest(subnets: ["10.8.2.0/24"])
        _ = try controller.newNetwork(name: "one", options: first)
        _ = try controller.newNetwork(name: "two", options: second)
        _ = try controller.newSandbox(containerID: "box")
        try controller.connect(network: "one", sandbox: "box")
        try controller.connect(network: "two", sandbox: "box")
        XCTAssertEqual(Array(kernel.calls.suffix(2)), ["attachVeth eth0 10.8.1.2/24 via 10.8.1.1", "attachVeth eth1 10.8.2.2/24 via "])
        try controller.disconnect(network: "one", sandbox: "box")
        XCTAssertEqual(kernel.calls.last, "addDefaultRoute 10.8.2.1 eth1")
    }

    func testIDPrefixesAndAmbiguity() throws {
        let network = try controller.newNetwork(name: "net")
        XCTAssertEqual(try controller.network(String(network.id.prefix(6))).name, "net")
        XCTAssertThrowsError(try controller.network("abc")) { XCTAssertEqual(($0 as? SwnetError)?.kind, .notFound) }
        XCTAssertThrowsError(try controller.network("a/b")) { XCTAssertEqual(($0 as? SwnetError)?.kind, .invalidArgument) }
        XCTAssertEqual((try controller.inspect("net") as? NetworkRecord)?.id, network.id)
    }

    func testConcurrentWritersNeverShareAnAddress() throws {
        var options = NetworkOptions()
        options.addresses = AddressRequest(subnets: ["10.9.0.0/24"])
        _ = try controller.newNetwork(name: "net", options: options)
        let controllerOptions = controller.options
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            // Separate controllers, as separate processes would have; the state lock serialises them.
            let own = Controller(options: controllerOptions, kernel: RecordingKernel())
            for index in 0..<6 {
                do {
                    _ = try own.newEndpoint(network: "net", name: "w\(worker)-\(index)")
                } catch {
                    errors.append("\(error)")
                }
            }
        }
        XCTAssertEqual(errors.values, [])
        let endpoints = try controller.endpoints()
        XCTAssertEqual(endpoints.count, 48)
        XCTAssertEqual(Set(endpoints.compactMap(\.ipv4Address)).count, 48)
        let allocations = try controller.network("net").record.ipam[0].allocations
        XCTAssertEqual(Set(allocations.values), Set(endpoints.map(\.id)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/state/endpoints").filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testDamagedStateFileIsReportedNotOverwritten() throws {
        _ = try controller.newNetwork(name: "net")
        let path = root + "/state/networks/net.json"
        try "{ truncated".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try controller.networks()) { error in
            XCTAssertTrue("\(error)".contains("state file \(path) is damaged"), "\(error)")
        }
        XCTAssertThrowsError(try controller.newNetwork(name: "other"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{ truncated")
    }
}

/// Collects strings from several threads.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var values: [String] { lock.withLock { stored } }
    func append(_ value: String) { lock.withLock { stored.append(value) } }
}
