import Foundation
import XCTest

/// `ls` and `inspect` the way docker-network users expect: tables, templates, filters, labels,
/// prune, `create --ignore` and `network exists`. Outputs are compared with golden files, ids
/// replaced by a stable placeholder of the same width.
final class OutputTests: PrivateHostTestCase {
    private func stable(_ text: String) -> String {
        text.replacingOccurrences(of: "[0-9a-f]{64}", with: String(repeating: "I", count: 64), options: .regularExpression)
            .replacingOccurrences(of: "(?<![0-9a-fI])[0-9a-f]{12}(?![0-9a-f])", with: "IIIIIIIIIIII", options: .regularExpression)
            .replacingOccurrences(of: "swv[0-9a-f]{12}", with: "swvIIIIIIIIIIII", options: .regularExpression)
    }

    private func makeObjects() {
        swnetOK("network", "create", "front", "--subnet", "10.97.0.0/24", "--label", "tier=web", "--label", "ci")
        swnetOK("network", "create", "back", "--subnet", "10.98.0.0/24", "--internal", "--label", "tier=data")
        swnetOK("network", "create", "spare", "--driver", "null", "--label", "ci")
        swnetOK("sandbox", "create", "web", "--hostname", "www", "--label", "role=frontend")
        swnetOK("sandbox", "create", "db", "--label", "role=store")
        swnetOK("sandbox", "create", "idle", "--label", "ci")
        swnetOK("connect", "front", "web", "--label", "kind=primary", "--alias", "www")
        swnetOK("connect", "back", "web")
        swnetOK("connect", "back", "db", "--alias", "pg")
    }

    private func cleanUp() {
        swnetOK("sandbox", "rm", "web", "db", "idle")
        swnetOK("network", "rm", "front", "back", "spare")
    }

    func testTablesTemplatesAndFiltersMatchTheirGoldenOutput() throws {
        makeObjects()
        var transcript = ""
        for command in [
            ["network", "ls"],
            ["network", "ls", "-q"],
            ["network", "ls", "--filter", "label=ci"],
            ["network", "ls", "--filter", "label=tier=web"],
            ["network", "ls", "--filter", "label=tier", "--filter", "name=ack"],
            ["network", "ls", "--filter", "driver=null", "-q"],
            ["network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Internal}} {{.Labels}}"],
            ["network", "ls", "--format", "table {{.Name}}\\t{{index .Labels \"tier\"}}\\t{{.ID}}"],
            ["network", "ls", "--format", "{{.Name}}: {{json .Labels}}"],
            ["network", "ls", "--format", "{{if .Internal}}{{.Name}} is internal{{else}}{{.Name}} routes out{{end}}"],
            ["network", "ls", "--format", "{{.Name}}{{range .Ipam}} {{.Subnet}} via {{.Gateway}}{{end}}", "--filter", "driver=bridge"],
            ["network", "ls", "--no-trunc", "--format", "{{.ID}}", "--filter", "name=front"],
            ["sandbox", "ls"],
            ["sandbox", "ls", "--filter", "network=back", "-q"],
            ["sandbox", "ls", "--filter", "label=role", "--format", "{{.Name}} {{.Hostname}} {{len .Endpoints}} {{upper .Name}}"],
            ["endpoint", "ls"],
            ["endpoint", "ls", "--filter", "network=back", "--filter", "sandbox=web", "-q"],
            ["endpoint", "ls", "--filter", "label=kind=primary", "--format", "{{.Name}} {{join .Aliases \",\"}} {{.SandboxName}}"],
            ["network", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Ipam}}", "front", "spare"],
            ["inspect", "-f", "{{.Name}}={{.NoSuchField}}", "web"],
            ["sandbox", "inspect", "-f", "{{json .Labels}}", "web"],
        ] {
            let result = swnet(command)
            XCTAssertEqual(result.status, 0, "\(command): \(result.error)")
            transcript += "$ swnet " + command.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ") + "\n" + result.output
        }
        try assertGolden(stable(transcript), "ls-and-templates.txt", what: "ls output")

        // inspect is a JSON array, with --format json too; ls --format json as well.
        for command in [["network", "inspect", "front"], ["network", "inspect", "--format", "json", "front"], ["network", "ls", "--format", "json"]] {
            let data = Data(swnetOK(command).utf8)
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: data) as? [[String: Any]], "\(command)")
        }
        // Bad templates and filters are usage errors, on one line.
        for (command, message) in [
            (["network", "ls", "--format", "{{.Name"], "unclosed action"),
            (["network", "ls", "--format", "{{nosuch .Name}}"], "function \"nosuch\" not defined"),
            (["network", "ls", "--format", "{{if .Name}}x"], "missing {{end}}"),
            (["network", "ls", "--filter", "colour=red"], "invalid --filter"),
            (["sandbox", "ls", "--filter", "driver=bridge"], "invalid --filter"),
            (["network", "inspect", "--format", "table {{.Name}}", "front"], "inspect takes"),
        ] {
            let result = swnet(command)
            XCTAssertEqual(result.status, 1, "\(command)")
            XCTAssertTrue(result.error.hasPrefix("swnet: error: ") && result.error.contains(message), result.error)
            XCTAssertEqual(result.error.split(separator: "\n").count, 1, result.error)
        }
        cleanUp()
    }

    func testPruneRemovesOnlyUnusedObjectsMatchingTheFilter() throws {
        makeObjects()
        swnetOK("network", "create", "unused", "--subnet", "10.99.0.0/24")
        // With a label filter only matching unused networks go: front (ci) has endpoints.
        XCTAssertEqual(swnetOK("network", "prune", "--filter", "label=ci"), "spare")
        XCTAssertEqual(swnetOK("network", "prune"), "unused")
        XCTAssertEqual(swnetOK("network", "ls", "-q"), "back\nfront")
        XCTAssertEqual(swnetOK("sandbox", "prune", "--filter", "label=role"), "")
        XCTAssertEqual(swnetOK("sandbox", "prune", "--force"), "idle")
        XCTAssertEqual(swnetOK("sandbox", "ls", "-q"), "db\nweb")
        XCTAssertEqual(swnet("network", "prune", "--filter", "name=x").status, 1)
        // A person at a terminal is asked first; "n" keeps everything.
        swnetOK("network", "create", "asked", "--subnet", "10.99.0.0/24")
        let prompt = "SWNET_STATE_DIR=\(stateDirectory) \(Self.binary) network prune"
        let declined = runProgram("/usr/bin/script", ["-qec", prompt, "/dev/null"], input: "n\n")
        XCTAssertTrue(declined.output.contains("Are you sure you want to continue? [y/N]"), declined.output)
        XCTAssertTrue(swnetOK("network", "ls", "-q").contains("asked"))
        let accepted = runProgram("/usr/bin/script", ["-qec", prompt, "/dev/null"], input: "y\n")
        XCTAssertTrue(accepted.output.contains("asked"), accepted.output)
        XCTAssertFalse(swnetOK("network", "ls", "-q").contains("asked"))
        swnetOK("sandbox", "rm", "web", "db")
        swnetOK("network", "rm", "front", "back")
    }

    func testIgnoreAcceptsTheSameObjectAndNamesAnyDifference() throws {
        let id = swnetOK("network", "create", "n1", "--subnet", "10.96.0.0/24", "--opt", "icc=false", "--label", "a=b")
        XCTAssertEqual(swnetOK("network", "create", "n1", "--ignore", "--subnet", "10.96.0.0/24",
                               "--opt", "com.docker.network.bridge.enable_icc=false", "--label", "a=b"), id)
        XCTAssertEqual(swnetOK("network", "create", "n1", "--ignore"), id)
        for (arguments, difference) in [
            (["--subnet", "10.96.1.0/24"], "subnet 10.96.0.0/24, not 10.96.1.0/24"),
            (["--internal"], "not internal"),
            (["--opt", "icc=true"], "option icc=false, not true"),
            (["--label", "a=c"], "label a=b, not c"),
            (["--driver", "null"], "driver bridge, not null"),
        ] {
            let result = swnet(["network", "create", "n1", "--ignore"] + arguments)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertTrue(result.error.contains("exists with another configuration") && result.error.contains(difference), result.error)
        }
        let sandboxID = swnetOK("sandbox", "create", "s1", "--hostname", "h1")
        XCTAssertEqual(swnetOK("sandbox", "create", "s1", "--hostname", "h1", "--ignore"), sandboxID)
        XCTAssertTrue(swnet("sandbox", "create", "s1", "--hostname", "h2", "--ignore").error.contains("hostname h1, not h2"))
        let endpointID = swnetOK("endpoint", "create", "--network", "n1", "e1", "--ip", "10.96.0.7", "--publish", "18080:80")
        XCTAssertEqual(swnetOK("endpoint", "create", "--network", "n1", "e1", "--ip", "10.96.0.7", "-p", "18080:80", "--ignore"), endpointID)
        XCTAssertTrue(swnet("endpoint", "create", "--network", "n1", "e1", "--ip", "10.96.0.8", "--ignore").error
            .contains("--ip 10.96.0.7, not 10.96.0.8"))
        XCTAssertTrue(swnet("endpoint", "create", "--network", "n1", "e1", "-p", "18081:80", "--ignore").error
            .contains("no published port matching 18081:80"))
        // Without --ignore an existing name stays a conflict.
        XCTAssertEqual(swnet("network", "create", "n1").status, 2)
        // network exists: exit 0 or 1, silent.
        XCTAssertEqual(swnet("network", "exists", "n1").status, 0)
        XCTAssertEqual(swnet("network", "exists", String(id.prefix(8))).status, 0)
        let missing = swnet("network", "exists", "n2")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.output + missing.error, "")
        swnetOK("endpoint", "rm", "e1")
        swnetOK("sandbox", "rm", "s1")
        swnetOK("network", "rm", "n1")
    }
}
