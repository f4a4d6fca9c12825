import ArgumentParser
import SwnetCore

struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system",
        abstract: "Host-wide information and repair.",
        subcommands: [Info.self, Restore.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "Show swnet's state and where its kernel objects are.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Output format: table or json.")
        var format: ListFormat = .table

        func run() throws {
            let info = try global.controller().systemInfo(version: Swnet.version)
            if format == .json {
                try printJSONArray([info])
                return
            }
            for (label, value) in [
                ("Version", info.version),
                ("State directory", info.stateDirectory),
                ("Namespace directory", info.netnsDirectory),
                ("Objects", "\(info.networks) networks, \(info.endpoints) endpoints, \(info.sandboxes) sandboxes"),
                ("Firewall", info.firewall),
                ("IPv4 forwarding", info.ipForwarding ? "on" : "off"),
            ] {
                print(label + ":" + String(repeating: " ", count: 21 - label.count) + value)
            }
            if let note = info.firewallNote { print("Note: " + note) }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Re-create every network, sandbox, join and firewall rule from the state.",
            discussion: """
                Run it after a reboot (contrib/swnet-restore.service does), or after something \
                flushed the firewall (iptables -F, a firewalld reload). What exists is left alone and \
                firewall rules are re-applied without duplicates, so running it twice is harmless. \
                Prints one line per object re-created.
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.controller().restore().forEach { print($0) }
        }
    }
}
