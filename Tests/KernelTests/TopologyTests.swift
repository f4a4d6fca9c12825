import Foundation
import XCTest

/// `swnet up` / `swnet down` on the real kernel: a reconcile that is idempotent, applies only
/// what an edit changed, is all-or-nothing, and whose `down` leaves nothing.
final class TopologyTests: PrivateHostTestCase {
    private var files: [String] = []

    override func tearDownWithError() throws {
        files.forEach { try? FileManager.default.removeItem(atPath: $0) }
        try super.tearDownWithError()
    }

    /// Writes a topology file and returns its path.
    private func topologyFile(_ text: String, extension suffix: String = "yaml") throws -> String {
        let path = NSTemporaryDirectory() + "swnet-topology-" + UUID().uuidString + "." + suffix
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        files.append(path)
        return path
    }

    private static let lab = """
        name: lab
        networks:
          front:
            subnet: 10.81.0.0/24
            labels: {purpose: ci}
          back:
            subnet: 10.82.0.0/24
            internal: true
        sandboxes:
          web:
            hostname: www
            dns: [127.0.0.1]
            networks: [front, back]
            publish: ["18080:80"]
          db:
            dns: [127.0.0.1]
            networks:
              back: {ip: 10.82.0.10, aliases: [postgres]}
        """

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    /// The host end of a sandbox's veth on a network: unchanged means the join was left alone.
    private func hostInterface(_ endpoint: String) -> String? {
        let data = Data(swnet("endpoint", "inspect", endpoint).output.utf8)
        return ((try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]])?.first?["hostInterfaceName"] as? String
    }

    func testUpIsIdempotentAppliesOnlyEditsAndDownLeavesNothing() throws {
        let file = try topologyFile(Self.lab)
        XCTAssertEqual(lines(swnetOK("up", "-f", file)), [
            "network front created", "network back created", "sandbox web created", "sandbox db created",
            "connected web to front", "connected web to back", "connected db to back",
        ])
        // Every object carries the topology's label; the file's settings took effect.
        XCTAssertEqual(swnetOK("network", "ls", "-q", "--filter", "label=swnet.topology=lab"), "back\nfront")
        XCTAssertEqual(swnetOK("sandbox", "ls", "-q", "--filter", "label=swnet.topology=lab"), "db\nweb")
        XCTAssertEqual(swnetOK("endpoint", "ls", "--filter", "label=swnet.topology=lab", "--format", "{{.Name}} {{.Ipv4Address}} {{.Ports}}"),
                       "db.back 10.82.0.10 []\nweb.back 10.82.0.2 []\nweb.front 10.81.0.2 [map]".replacingOccurrences(of: "[map]", with: "[containerPort=80,hostPort=18080,transport=tcp]"))
        XCTAssertEqual(swnetOK("network", "inspect", "-f", "{{.Internal}} {{index .Labels \"purpose\"}}", "back", "front"), "true \nfalse ci")
        XCTAssertEqual(inSandbox("web", "getent", "ahostsv4", "postgres").output.split(separator: " ").first, "10.82.0.10")
        XCTAssertEqual(inSandbox("db", "ping", "-c1", "-W2", "www").status, 0)

        // A second up changes nothing: same state bytes, same links.
        let state = stateBytes()
        let links = hostSnapshot()
        XCTAssertEqual(swnetOK("up", "-f", file), "topology lab is up to date")
        XCTAssertEqual(stateBytes(), state)
        XCTAssertEqual(hostSnapshot(), links)

        // An edit applies only the difference: db moves to another address, web gets a new
        // hostname (in place) and leaves back, a new sandbox joins front.
        let webFront = hostInterface("web.front")
        let edited = try topologyFile(Self.lab
            .replacingOccurrences(of: "10.82.0.10", with: "10.82.0.11")
            .replacingOccurrences(of: "hostname: www", with: "hostname: www2")
            .replacingOccurrences(of: "networks: [front, back]", with: "networks: [front]")
            + "\n  cache:\n    dns: [127.0.0.1]\n    networks: [front]\n")
        XCTAssertEqual(lines(swnetOK("up", "-f", edited)), [
            "disconnected db from back", "disconnected web from back", "sandbox web updated", "sandbox cache created",
            "connected db to back", "connected cache to front",
        ])
        XCTAssertEqual(hostInterface("web.front"), webFront, "an unchanged join is left alone")
        XCTAssertEqual(inSandbox("cache", "getent", "ahostsv4", "www2").output.split(separator: " ").first, "10.81.0.2")
        XCTAssertEqual(inSandbox("db", "getent", "ahostsv4", "postgres").output.split(separator: " ").first, "10.82.0.11")
        XCTAssertEqual(swnetOK("up", "-f", edited), "topology lab is up to date")

        // Editing a network replaces it and reconnects its members; a dropped sandbox goes.
        let moved = try topologyFile(Self.lab.replacingOccurrences(of: "10.81.0.0/24", with: "10.83.0.0/24"))
        let changes = lines(swnetOK("up", "-f", moved))
        XCTAssertTrue(changes.contains("network front removed") && changes.contains("network front created")
                      && changes.contains("sandbox cache removed") && changes.contains("connected web to front"), "\(changes)")
        XCTAssertEqual(swnetOK("endpoint", "inspect", "-f", "{{.Ipv4Address}}", "web.front"), "10.83.0.2")
        XCTAssertEqual(inSandbox("web", "ping", "-c1", "-W2", "10.83.0.1").status, 0)

        // down refuses while a sandbox outside the topology is on one of its networks, then
        // removes exactly the topology's objects.
        swnetOK("sandbox", "create", "visitor")
        swnetOK("connect", "front", "visitor")
        swnetOK("network", "create", "other", "--subnet", "10.84.0.0/24")
        let refused = swnet("down", "-f", moved)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.error.contains("endpoint \"visitor.front\""), refused.error)
        swnetOK("disconnect", "front", "visitor")
        XCTAssertEqual(lines(swnetOK("down", "-f", moved)), [
            "sandbox db removed", "sandbox web removed", "network back removed", "network front removed",
        ])
        XCTAssertEqual(swnetOK("network", "ls", "-q"), "other")
        XCTAssertEqual(swnetOK("sandbox", "ls", "-q"), "visitor")
        XCTAssertEqual(swnetOK("down", "-p", "lab"), "topology lab has nothing to remove")
        swnetOK("sandbox", "rm", "visitor")
        swnetOK("network", "rm", "other")
    }

    /// One command setting up more sandboxes than one procfs instance serves (LinuxKernel makes
    /// a new one every 64 namespaces): the last sandboxes get their settings like the first.
    func testManySandboxesInOneCommandEachGetTheirSettings() throws {
        let count = 70
        let sandboxes = (1...count).map { "  s\($0): {networks: [many]}\n" }.joined()
        let file = try topologyFile("name: many\nnetworks:\n  many: {subnet: 10.83.0.0/24}\nsandboxes:\n" + sandboxes)
        _ = swnetOK("up", "-f", file)
        for index in [1, 64, 65, count] {
            let settings = runProgram("/usr/sbin/ip", ["netns", "exec", "s\(index)", "cat",
                                                       "/proc/sys/net/ipv6/conf/eth0/disable_ipv6"])
            XCTAssertEqual(settings.output, "1\n", "sandbox s\(index): \(settings.output)")
        }
        _ = swnetOK("down", "-f", file)
    }

    func testJSONFileAndProjectNameWork() throws {
        let file = try topologyFile("""
            {"networks": {"n1": {"subnet": "10.85.0.0/24"}},
             "sandboxes": {"s1": {"networks": {"n1": {"ip": "10.85.0.5"}}}}}
            """, extension: "json")
        XCTAssertEqual(lines(swnetOK("up", "-f", file, "-p", "ci-42")), ["network n1 created", "sandbox s1 created", "connected s1 to n1"])
        XCTAssertEqual(swnetOK("network", "inspect", "-f", "{{index .Labels \"swnet.topology\"}}", "n1"), "ci-42")
        XCTAssertEqual(swnetOK("endpoint", "inspect", "-f", "{{.Ipv4Address}}", "s1.n1"), "10.85.0.5")
        // Another project may not take over objects it did not make.
        let other = swnet("up", "-f", file, "-p", "ci-43")
        XCTAssertEqual(other.status, 2)
        XCTAssertTrue(other.error.contains("network \"n1\" exists and is not part of topology \"ci-43\""), other.error)
        XCTAssertEqual(lines(swnetOK("down", "-p", "ci-42")), ["sandbox s1 removed", "network n1 removed"])
    }

    func testProgressShowsOnATerminalOnly() throws {
        let file = try topologyFile(Self.lab)
        // script(1) gives the command a terminal; its output is what that terminal showed.
        let command = "SWNET_STATE_DIR=\(stateDirectory) \(Self.binary) up -f \(file)"
        let terminal = runProgram("/usr/bin/script", ["-qec", command, "/dev/null"])
        XCTAssertEqual(terminal.status, 0, terminal.output)
        XCTAssertTrue(terminal.output.contains("[1/7] network front created") && terminal.output.contains("[7/7] connected db to back"),
                      terminal.output)
        let plain = swnet("down", "-f", file)
        XCTAssertFalse(plain.output.contains("[") || plain.error.contains("["), "no progress without a terminal")
    }

    func testAFailedUpChangesNothing() throws {
        let file = try topologyFile(Self.lab)
        // Fails at the last join: the networks, sandboxes and joins made before are undone.
        let failed = swnet(["up", "-f", file], environment: ["SWNET_FAILPOINT": "publish-ports"])
        XCTAssertEqual(failed.status, 3, failed.error)
        XCTAssertEqual(stateRecords(), [])
        XCTAssertEqual(swnetOK("network", "ls", "-q"), "")

        // A failing edit leaves the previous topology exactly as it was.
        swnetOK("up", "-f", file)
        let state = stateBytes()
        let edited = try topologyFile(Self.lab.replacingOccurrences(of: "10.82.0.10", with: "10.82.0.12"))
        XCTAssertEqual(swnet(["up", "-f", edited], environment: ["SWNET_FAILPOINT": "attach-veth"]).status, 3)
        XCTAssertEqual(stateBytes(), state)
        XCTAssertEqual(inSandbox("web", "getent", "ahostsv4", "postgres").output.split(separator: " ").first, "10.82.0.10")
        swnetOK("system", "check")
        swnetOK("down", "-f", file)
    }

    func testBadFilesAreRefusedWithFileLineAndKeyBeforeAnythingChanges() throws {
        swnetOK("network", "create", "keep", "--subnet", "10.86.0.0/24")
        let state = stateBytes()
        let links = hostSnapshot()
        for (text, message) in [
            ("networks:\n  a:\n    subnett: 10.0.0.0/24\n", ":3: unknown key \"subnett\" in network \"a\""),
            ("networks:\n  a: {}\nsandboxes:\n  s:\n    networks: [a, b]\n", ":5: sandbox \"s\" joins network \"b\", which the file does not declare"),
            ("networks:\n  a: {}\n  a: {}\n", ":3: \"a\" appears twice in networks"),
            ("networks:\n  a:\n    internal: maybe\n", ":3: internal must be true or false"),
            ("networks:\n  a:\n    mtu: big\n", ":3: mtu of network \"a\" must be a number"),
            ("networks:\n  a:\n    subnet: 10.0.0.0/33\n", ":3: subnet \"10.0.0.0/33\" of network \"a\" is not a subnet"),
            ("networks:\n  a:\n    labels: [x]\n", ":3: labels must be a map"),
            ("networks:\n  a: {}\nsandboxes:\n  s:\n    networks:\n      a: {ip: 10.0.0.300}\n", ":6: ip \"10.0.0.300\""),
            ("networks:\n  a: {}\nsandboxes:\n  s:\n    networks: [a]\n    publish: [\"99999:80\"]\n", ":6: invalid port"),
            ("networks:\n  a: {}\nsandboxes:\n  s:\n    hostname: \"bad host\"\n", ":5: invalid hostname"),
            ("sandboxes:\n  s:\n    extra_hosts: [nohost]\n", ":3: extra_hosts entry \"nohost\""),
            ("networks:\n  \"bad name!\": {}\n", ":2: invalid network name"),
            ("networks: [a, b]\n", ":1: networks must be a map"),
            ("volumes: {}\n", ":1: unknown key \"volumes\" in the file"),
            ("networks:\n  a: {subnet: [10.0.0.0/24\n", "invalid YAML"),
            ("networks:\n  a:\n    labels: {swnet.topology: x}\n", ":3: label \"swnet.topology\" is swnet's own"),
            ("", "the file is empty"),
        ] {
            let file = try topologyFile(text)
            let result = swnet("up", "-f", file)
            XCTAssertEqual(result.status, 1, "\(text): \(result.error)")
            XCTAssertTrue(result.error.hasPrefix("swnet: error: " + file), "\(text): \(result.error)")
            XCTAssertTrue(result.error.contains(message), "\(text): expected \(message), got \(result.error)")
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, result.error)
            XCTAssertEqual(stateBytes(), state)
            XCTAssertEqual(hostSnapshot(), links)
        }
        let missing = swnet("up", "-f", "/nonexistent/lab.yaml")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.error.contains("does not exist"), missing.error)
        XCTAssertEqual(swnet("up").status, 1)
        swnetOK("network", "rm", "keep")
    }
}
