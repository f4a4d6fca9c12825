import Foundation
@testable import SwnetCore
import XCTest

/// The notes of namespaces in the making or removing: what a reader finds after each change,
/// after a command killed in the middle of a line, and that the file stays one file.
final class IntentLogTests: XCTestCase {
    private var directory = ""
    private var log: IntentLog { IntentLog(directory: directory) }

    override func setUp() {
        directory = NSTemporaryDirectory() + "swnet-intents-" + UUID().uuidString
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func text() -> String {
        FileManager.default.contents(atPath: log.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private func names() throws -> [String] { try log.notes().map(\.name) }

    func testNotesComeAndGoAndTheFileGoesBackToItsHeader() throws {
        XCTAssertEqual(try names(), [], "no file, no notes")
        try log.add("netns-a", objectPath: "/run/netns/a")
        try log.add("netns-b", objectPath: "/run/my netns/b")
        XCTAssertEqual(try log.notes().map { "\($0.name)=\($0.path)" }, ["netns-a=/run/netns/a", "netns-b=/run/my netns/b"])
        try log.remove(["netns-a"])
        XCTAssertEqual(try names(), ["netns-b"])
        let inode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: log.path)[.systemFileNumber] as? Int)
        try log.remove(["netns-b", "netns-never"])
        XCTAssertEqual(try names(), [])
        XCTAssertEqual(text(), "swnet-intents v1\n", "cut back to its header, never to nothing")
        try log.add("netns-c", objectPath: "/run/netns/c")
        XCTAssertEqual(try names(), ["netns-c"])
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: log.path)[.systemFileNumber] as? Int, inode,
                       "the same file all along: no inode made or freed per note")
    }

    func testANoteTakenAgainCountsOnceAndGoesAtOnce() throws {
        try log.add("netns-a", objectPath: "/run/netns/a")
        try log.add("netns-a", objectPath: "/run/other/a")
        XCTAssertEqual(try log.notes().map(\.path), ["/run/other/a"], "the later note stands")
        try log.remove(["netns-a"])
        XCTAssertEqual(try names(), [])
    }

    func testAPieceOfALineNeverBecomesANote() throws {
        try log.add("netns-a", objectPath: "/run/netns/a")
        // A command killed in the middle of its append: the start of a line, no newline.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data("+ netns-b /run/ne".utf8))
        handle.closeFile()
        XCTAssertEqual(try names(), ["netns-a"], "a line without its newline does not count")
        try log.add("netns-c", objectPath: "/run/netns/c")
        XCTAssertEqual(try log.notes().map(\.path), ["/run/netns/a", "/run/netns/c"])
        XCTAssertFalse(text().contains("/run/ne+"), "the piece was cut off before the next note: \(text())")
        XCTAssertFalse(text().contains("netns-b"), text())
    }

    func testNotesOutliveADamagedHeader() throws {
        try log.add("netns-a", objectPath: "/run/netns/a")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log.path))
        handle.write(Data("garbage".utf8))
        handle.closeFile()
        XCTAssertEqual(try names(), ["netns-a"], "a note stands on its own line: \(text())")
        try log.remove(["netns-a"])
        try log.add("netns-b", objectPath: "/run/netns/b")
        XCTAssertEqual(try names(), ["netns-b"])
    }

    func testAPathWithALineBreakIsRefused() throws {
        XCTAssertThrowsError(try log.add("netns-a", objectPath: "/run/netns\n+ netns-b /etc"))
        XCTAssertEqual(try names(), [])
    }

    /// Many notes taken, some taken again, then dropped together: each name counts once, with
    /// its latest path, in the order of that note.
    func testManyNotesDroppedTogether() throws {
        for index in 0..<300 { try log.add("netns-\(index)", objectPath: "/run/netns/\(index)") }
        try log.add("netns-7", objectPath: "/run/other/7")
        try log.remove((0..<300).filter { $0 % 3 != 0 && $0 != 7 }.map { "netns-\($0)" })
        let notes = try log.notes()
        XCTAssertEqual(notes.map(\.name), (0..<300).filter { $0 % 3 == 0 }.map { "netns-\($0)" } + ["netns-7"])
        XCTAssertEqual(notes.last?.path, "/run/other/7")
        try log.remove(notes.map(\.name))
        XCTAssertEqual(text(), "swnet-intents v1\n")
    }

    func testANoteLeftPendingKeepsTheFileSmall() throws {
        // A note a killed command left keeps the file from going back to its header.
        try log.add("netns-left", objectPath: "/run/netns/left")
        for number in 0..<2000 {
            try log.add("netns-s\(number)", objectPath: "/run/netns/s\(number)")
            try log.remove(["netns-s\(number)"])
        }
        XCTAssertEqual(try log.notes().map(\.name), ["netns-left"])
        XCTAssertLessThan(text().utf8.count, 17 * 1024, "written afresh with the pending notes past 16 KiB")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertEqual(leftovers, ["log"])
    }
}
