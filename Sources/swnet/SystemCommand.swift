import ArgumentParser
import SwnetCore

struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system",
        abstract: "Host-wide information and repair.",
        subcommands: [Info.self, Check.self, GC.self, Restore.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "info", abstract: "Show swnet's state and where its kernel objects are.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("table (default), json, or a Go template such as {{.Firewall}}.", valueName: "format"),
                completion: .list(["table", "json"]))
        var format: String?

        func run() throws {
            let info = try global.controller().systemInfo(version: Swnet.version)
            switch try OutputFormat(format) {
            case .json:
                try printJSONArray([info])
                return
            case .template(let template):
                print(try render(template, try JSONValue(info)))
                return
            case .table:
                break
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

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "check",
            abstract: "Report every difference between the state and the kernel.",
            discussion: """
                One line per difference: missing (in the state, not in the kernel: 'swnet system \
                restore' re-creates it; 'swnet system gc' puts back a join's interface and ports that \
                a killed command took away), leftover (marked as swnet's, unknown to the state: 'swnet \
                system gc' removes it), orphan (a record pointing at nothing: gc), damaged (a state \
                file swnet cannot read; it is never overwritten). Exit status 2 when there is any.
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let drift = try global.controller().check()
            drift.forEach { print($0) }
            guard drift.isEmpty else {
                throw SwnetError(.conflict, "\(drift.count) difference(s) between the state and the kernel",
                                 hint: "run 'swnet system gc' for leftovers, orphans and half-removed joins, 'swnet system restore' for other missing objects")
            }
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "gc",
            abstract: "Clean up after interrupted commands: remove swnet's leftovers, put back what they half removed.",
            discussion: """
                Removes links whose alias and firewall rules whose comment carry an id the state does \
                not know, namespaces of interrupted commands, temporary files and records that point \
                at nothing. Puts back the interface and published ports of a join that a killed \
                'leave', 'disconnect' or 'rm' had taken away before saving (its sandbox still \
                there; after a reboot, use 'swnet system restore'). Nothing without swnet's mark is \
                touched. Prints one line per change.
                """
        )

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.controller().collectGarbage().forEach { print($0) }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration.leaf(
            "restore",
            abstract: "Re-create every network, sandbox, join and firewall rule from the state.",
            discussion: """
                Run it after a reboot (contrib/swnet-restore.service does), or after something \
                flushed the firewall (iptables -F, nft flush ruleset, a firewalld reload). What exists is left alone and \
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
