import Foundation
@testable import SwnetCore
import SystemPackage
import XCTest

final class FileIOTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "swnet-fileio-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A file is read whole in one buffer its size gives; one that reports no size (/proc) or
    /// more than its size is read on to its end, and `limit` caps either.
    func testReadTakesWholeFilesSizedOrNot() throws {
        let path = root + "/table"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try FileIO.writeAtomically(path, bytes, durable: false)
        XCTAssertEqual(try FileIO.read(path), bytes)
        XCTAssertEqual(try FileIO.read(path, limit: 70_000), Array(bytes.prefix(70_000)))
        XCTAssertEqual(try FileIO.read(root + "/empty"), nil)
        try FileIO.writeAtomically(root + "/empty", [], durable: false)
        XCTAssertEqual(try FileIO.read(root + "/empty"), [])

        let smaps = String(decoding: try XCTUnwrap(try FileIO.read("/proc/self/smaps")), as: UTF8.self)
        XCTAssertGreaterThan(smaps.utf8.count, 16384, "past the first chunks")
        XCTAssertTrue(smaps.split(separator: "\n").last?.hasPrefix("VmFlags:") == true, "read to its end")
        XCTAssertEqual(try FileIO.read("/proc/self/status", limit: 5).map { String(decoding: $0, as: UTF8.self) }, "Name:")
    }

    /// A journal frame's two parts land one after the other at the offset, inside the file or
    /// past its end (which lengthens it, the gap zeros), and a failed write throws its errno.
    func testWriteSyncedPutsBothPartsAtTheOffset() throws {
        let path = root + "/journal"
        try FileIO.writeAtomically(path, Array("0123456789".utf8), durable: false)
        let fd = try FileDescriptor.open(FilePath(path), .readWrite)
        try FileIO.writeSynced(Array("ab".utf8), Array("cd".utf8), to: fd, at: 3)
        XCTAssertEqual(try FileIO.read(path).map { String(decoding: $0, as: UTF8.self) }, "012abcd789")

        let body = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        try FileIO.writeSynced(Array("head\n".utf8), body, to: fd, at: 12)
        try FileIO.writeSynced(Array("x".utf8), to: fd, at: 0)
        try FileIO.writeSynced([], [], to: fd, at: 5)
        let bytes = try XCTUnwrap(try FileIO.read(path))
        XCTAssertEqual(bytes.count, 12 + 5 + body.count)
        XCTAssertEqual(Array(bytes[..<12]), Array("x12abcd789".utf8) + [0, 0])
        XCTAssertEqual(Array(bytes[12..<17]), Array("head\n".utf8))
        XCTAssertEqual(Array(bytes[17...]), body)

        try fd.close()
        XCTAssertThrowsError(try FileIO.writeSynced([1], [2], to: fd, at: 0)) { error in
            XCTAssertEqual(error as? Errno, .badFileDescriptor)
        }
    }

    /// Replacing swaps the new file in and removes the old one: no temporary file is left, and a
    /// symbolic link (a sandbox's hosts file pointing at its network's table) is replaced, not
    /// followed.
    func testWriteAtomicallyCreatesReplacesAndReplacesLinks() throws {
        let path = root + "/file"
        try FileIO.writeAtomically(path, Array("one".utf8), durable: false)
        try FileIO.writeAtomically(path, Array("two".utf8), mode: [.ownerReadWrite, .groupRead], durable: true)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o640)

        let link = root + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        try FileIO.writeAtomically(link, Array("own".utf8), durable: false)
        XCTAssertNil(FileIO.linkTarget(link))
        XCTAssertEqual(try String(contentsOfFile: link, encoding: .utf8), "own")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two", "the link's target is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["file", "link"])
    }

    /// Overwriting keeps the file (its inode), cuts longer old content, and makes a missing
    /// file with the mode given.
    func testOverwriteWritesInPlace() throws {
        let path = root + "/record"
        try FileIO.overwrite(path, Array("a longer first text".utf8), mode: [.ownerReadWrite], durable: false)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
        let inode = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try FileIO.overwrite(path, Array("short".utf8), mode: [.ownerReadWrite], durable: true)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "short")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int, inode)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["record"])
    }
}
