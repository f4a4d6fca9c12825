import ArgumentParser
import SwnetCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration.leaf(
        "inspect",
        abstract: "Show networks, endpoints or sandboxes, of any kind, as a JSON array.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Names or id prefixes; networks are searched first, then endpoints, then sandboxes.",
              completion: .custom(completeAnyObject))
    var names: [String]

    @OptionGroup var output: InspectOptions

    func run() throws {
        let controller = try global.controller()
        try output.inspectEach(names) { (name) throws(SwnetError) in try controller.inspect(name) }
    }
}
