import ArgumentParser
import Glibc
import KernelOps
import SwnetCore

/// The `swnet` command: container networking (libnetwork's model) without a daemon.
///
/// The root is a synchronous `ParsableCommand` on purpose: an async root would move `run()` to
/// a concurrency pool thread, and `exec` needs a single-threaded process to unshare its mount
/// namespace.
@main
struct Swnet: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "swnet",
        abstract: "Container networking for Linux: networks, endpoints and sandboxes, without a daemon.",
        discussion: """
            swnet implements the Container Network Model of Docker's libnetwork. A network is a \
            bridge with a subnet; a sandbox is a named network namespace (visible to 'ip netns'); an \
            endpoint is an attachment to a network that joins a sandbox as a veth pair.

            Each invocation loads its state from --state-dir, changes the kernel through netlink, \
            saves and exits. A command that fails changes nothing.

            Exit status: 0 success, 1 invalid input, 2 not found or conflict, 3 kernel or \
            permission failure.
            """,
        version: version,
        subcommands: [
            NetworkCommand.self, SandboxCommand.self, EndpointCommand.self,
            JoinCommand.self, LeaveCommand.self, ConnectCommand.self, DisconnectCommand.self,
            InspectCommand.self, ExecCommand.self, UpCommand.self, DownCommand.self, SystemCommand.self, VersionCommand.self,
        ]
    )

    /// Parses and runs, turning every failure into one `swnet: error:` line and an exit status.
    static func main() {
        ExecutablePages.rereadOncePerBoot()
        do {
            var command = try parseCommandLine(Array(CommandLine.arguments.dropFirst()))
            try command.run()
        } catch let error as SwnetError {
            Output.error(error.description)
            Glibc.exit(error.exitStatus)
        } catch let error as ExitCode {
            Glibc.exit(error.rawValue)
        } catch {
            guard exitCode(for: error) != .success else {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            var message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid command line"
            if let first = message.first, first.isUppercase {
                message = first.lowercased() + message.dropFirst()
            }
            // The full message names the subcommand's help ("See 'swnet network create --help'").
            let help = fullMessage(for: error).split(separator: "'").first { $0.hasSuffix("--help") }
            Output.error("\(message); see '\(help ?? "swnet --help")'")
            Glibc.exit(1)
        }
    }

    /// The command `arguments` name: read as a plain line, parsed by its leaf alone, or by the
    /// whole tree, the first that takes it. Never inlined: `make bench` times parsing up to its
    /// return.
    @inline(never)
    static func parseCommandLine(_ arguments: [String]) throws -> ParsableCommand {
        try parsePlain(arguments) ?? parseLeaf(arguments) ?? parseAsRoot(arguments)
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "version", abstract: "Print swnet's version.")

    func run() {
        print("swnet \(Swnet.version)")
    }
}
