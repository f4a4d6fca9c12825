import Glibc
import SwnetCore

// Dynamic completion of object names. The shell runs `swnet ---completion …` with the words
// typed so far; these read the state directory those words (or the environment) point at.

@Sendable func completeNetworks(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    completeNames(of: [.network], words: words, prefix: prefix)
}

@Sendable func completeSandboxes(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    completeNames(of: [.sandbox], words: words, prefix: prefix)
}

@Sendable func completeEndpoints(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    completeNames(of: [.endpoint], words: words, prefix: prefix)
}

@Sendable func completeAnyObject(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
    completeNames(of: ObjectKind.userVisible, words: words, prefix: prefix)
}

private func completeNames(of kinds: [ObjectKind], words: [String], prefix: String) -> [String] {
    var options = ControllerOptions()
    if let position = words.firstIndex(of: "--state-dir"), words.indices.contains(position + 1) {
        options.stateDirectory = words[position + 1]
    } else if let given = words.first(where: { $0.hasPrefix("--state-dir=") }) {
        options.stateDirectory = String(given.dropFirst("--state-dir=".count))
    } else if let environment = getenv("SWNET_STATE_DIR"), environment.pointee != 0 {
        options.stateDirectory = String(cString: environment)
    }
    let controller = Controller(options: options)
    return kinds.flatMap { controller.names(of: $0) }.filter { $0.hasPrefix(prefix) }
}
