import ArgumentParser
import SwnetCore

/// Removes every named object, reporting each failure as it happens and failing at the end
/// with the highest exit status, as `docker rm a b c` does. Prints each name removed.
func removeEach(_ names: [String], ignoringMissing: Bool, _ remove: (String) throws(SwnetError) -> Void) throws {
    var status: Int32 = 0
    for name in names {
        do {
            try remove(name)
            print(name)
        } catch where ignoringMissing && error.kind == .notFound {
            continue
        } catch {
            Output.error(error.description)
            status = max(status, error.exitStatus)
        }
    }
    if status != 0 { throw ExitCode(status) }
}

/// Prints the named objects as one JSON array; any name not found fails the whole command, so
/// scripts never parse a partial answer.
func inspectEach(_ names: [String], _ lookup: (String) throws(SwnetError) -> any Encodable) throws {
    var objects: [any Encodable] = []
    for name in names {
        objects.append(try lookup(name))
    }
    try printJSONArray(objects)
}
