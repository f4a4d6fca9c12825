import Foundation
import KernelOps
import XCTest

/// swnet does its work inside a sandbox's namespace from its own thread, which must always come
/// back to the namespace it left: whatever runs next (a rollback, the next step) acts on the host.
final class NamespaceVisitTests: PrivateHostTestCase {
    private struct Refused: Error {}

    private func ownNamespace() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")
    }

    private func namespace(at path: String) throws -> String {
        // The inode of the namespace a bound file refers to, as /proc names it.
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return "net:[\(try XCTUnwrap(attributes[.systemFileNumber] as? UInt64))]"
    }

    func testTheThreadComesBackAfterCreatingEnteringAndFailing() throws {
        let home = try ownNamespace()
        let path = netnsDirectory + "/visit"
        try NetworkNamespace.create(at: path)
        defer { try? NetworkNamespace.remove(at: path) }
        XCTAssertEqual(try ownNamespace(), home)
        let sandbox = try namespace(at: path)
        XCTAssertNotEqual(sandbox, home)

        var seenInside: String?
        _ = try NetlinkSession.inNamespace(path: path) { seenInside = try self.ownNamespace() }
        XCTAssertEqual(seenInside, sandbox)
        XCTAssertEqual(try ownNamespace(), home)

        XCTAssertThrowsError(try NetlinkSession.inNamespace(path: path) { throw Refused() }) {
            XCTAssertTrue($0 is Refused)
        }
        XCTAssertEqual(try ownNamespace(), home)

        // A session opened inside acts there, whatever thread uses it: lo comes up in the
        // sandbox, not on the host.
        let session = try NetlinkSession.inNamespace(path: path)
        try session.setLinkUp(named: "lo")
        XCTAssertTrue((ipJSON("-n", "visit", "link", "show", "lo").first?["flags"] as? [String] ?? []).contains("UP"))
        try NetworkNamespace.remove(at: path)
    }
}
