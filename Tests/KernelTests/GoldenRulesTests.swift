import Foundation
import XCTest

/// The exact `iptables-legacy-save` / `ip6tables-legacy-save` output, and swnet's nftables table as
/// `nft` lists it, for representative configurations, diffed against Tests/KernelTests/Golden. Ids
/// and bridge names are replaced by object names so the files are stable. `SWNET_UPDATE_GOLDEN=1
/// make test` rewrites them.
final class GoldenRulesTests: PrivateHostTestCase {
    func testBridgeNetworksWithPublishedPorts() throws {
        swnetOK("network", "create", "front", "--subnet", "10.71.0.0/24")
        swnetOK("network", "create", "vault", "--subnet", "10.72.0.0/24", "--internal")
        swnetOK("network", "create", "quiet", "--subnet", "10.73.0.0/24", "--opt", "icc=false", "--opt", "masquerade=false")
        swnetOK("sandbox", "create", "web")
        swnetOK("connect", "front", "web", "--name", "web-front", "--publish", "8080:80", "--publish", "127.0.0.1:9090:90/udp")
        swnetOK("connect", "vault", "web", "--name", "web-vault")
        try compare("iptables-legacy-save", golden: "bridge-published.v4.rules")
        try compareTable("ip", golden: "bridge-published.v4.nft")
        swnetOK("sandbox", "rm", "web")
        swnetOK("network", "rm", "front", "vault", "quiet")
    }

    func testDualStackNetwork() throws {
        swnetOK("network", "create", "dual", "--subnet", "10.74.0.0/24", "--subnet", "fd00:74::/64")
        swnetOK("sandbox", "create", "app")
        swnetOK("connect", "dual", "app", "--name", "app-dual", "--publish", "8443:443")
        try compare("ip6tables-legacy-save", golden: "dual-stack.v6.rules")
        try compareTable("ip6", golden: "dual-stack.v6.nft")
        swnetOK("sandbox", "rm", "app")
        swnetOK("network", "rm", "dual")
    }

    /// swnet's nftables table of the family, without its counters.
    private func compareTable(_ family: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let listing = host("nft", "-s", "list", "table", family, "swnet")
        XCTAssertEqual(listing.status, 0, listing.error, file: file, line: line)
        try assertGolden(listing.output, name, what: "nft list table \(family) swnet", file: file, line: line)
    }

    private func compare(_ tool: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var text = runProgram("/usr/bin/env", [tool]).output
        // What swnet wrote must be restorable by the iptables tools (DNAT revision 0 is not).
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/sbin/" + tool.replacingOccurrences(of: "-save", with: "-restore"))
        check.arguments = ["--test"]
        let input = Pipe()
        check.standardInput = input
        try check.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, "\(tool) output does not restore", file: file, line: line)

        for kind in ["network", "endpoint"] {
            let listing = swnetOK(kind, "ls", "--format", "json")
            let objects = try JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [[String: Any]] ?? []
            for object in objects {
                guard let id = object["id"] as? String, let objectName = object["name"] as? String else { continue }
                text = text.replacingOccurrences(of: id, with: "<\(objectName)>")
                if let bridge = object["bridgeName"] as? String {
                    text = text.replacingOccurrences(of: bridge, with: "<bridge:\(objectName)>")
                }
            }
        }
        // Which tables exist, and their order, depend on what earlier tests happened to open in
        // this shared private host: leave out tables without a rule, and sort the rest.
        var sections: [[Substring]] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("*") { sections.append([]) }
            sections[sections.count - 1].append(line)
        }
        let normalized = sections.filter { $0.contains { $0.hasPrefix("-A ") } }
            .sorted { $0.first ?? "" < $1.first ?? "" }.joined()
            .map { $0.replacingOccurrences(of: #"\[\d+:\d+\]"#, with: "[0:0]", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
        try assertGolden(normalized, name, what: tool, file: file, line: line)
    }
}
