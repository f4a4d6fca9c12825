import ArgumentParser
import KernelOps
import SwnetCore

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "exec",
        abstract: "Run a command inside a sandbox.",
        discussion: """
            Like 'ip netns exec': the command runs in the sandbox's network namespace, with its \
            hosts and resolv.conf over /etc's and /sys showing its interfaces, and with its hostname. \
            The command's exit status is swnet's.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The sandbox (name or id prefix).", completion: .custom(completeSandboxes))
    var sandbox: String

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        guard !command.isEmpty else {
            throw ValidationError("missing command; write swnet exec SANDBOX -- COMMAND [ARG...]")
        }
    }

    func run() throws {
        let controller = try global.controller()
        let record = try controller.sandbox(sandbox).record
        let environment = SandboxEntry.Environment(
            namespacePath: record.key,
            etcDirectory: controller.options.etcNetnsDirectory + "/" + record.name,
            hostname: record.hostname)
        do {
            try SandboxEntry.exec(command, in: environment)
        } catch let error as KernelError where error.operation == "run" {
            Output.error("\(error); check the command's name and PATH")
            throw ExitCode(error.isNotFound ? 127 : 126)
        } catch let error as KernelError {
            throw SwnetError(.system, "cannot enter sandbox \"\(record.name)\"", why: error.description,
                             hint: error.isPermissionDenied ? "run swnet as root" : "check 'swnet sandbox inspect \(record.name)'")
        }
    }
}
