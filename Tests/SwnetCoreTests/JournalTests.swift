import Foundation
@testable import SwnetCore
import XCTest

/// The write-ahead log: what a killed command, a reboot or a failed commit leaves, and what the
/// next command makes of it.
final class JournalTests: XCTestCase {
    private var root = ""
    private var store: StateStore { StateStore(root: root) }

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "swnet-journal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func path(_ name: String) -> String { root + "/" + name }

    private func contents(_ name: String) -> String? {
        FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Commits one file's content as a command does, or stops after the append (a command
    /// killed there) when `applied` is false.
    @discardableResult
    private func commit(_ journal: Journal, _ name: String, _ text: String, applied: Bool = true) throws -> Journal.Appended {
        let entry = Journal.Entry(path: path(name), change: .write(Array(text.utf8), mode: 0o600))
        let appended = try journal.append([entry])
        if applied {
            try entry.apply(durable: false, exclusive: true)
            try journal.markApplied(appended)
        }
        return appended
    }

    func testAFrameAKilledCommandLeftIsAppliedOnce() throws {
        let journal = Journal(in: store)
        XCTAssertFalse(try journal.recover(exclusive: true), "no journal yet")
        try commit(journal, "a", "1")
        XCTAssertFalse(try journal.recover(exclusive: true), "nothing pending after a whole commit")
        try FileManager.default.createDirectory(atPath: path("emptied"), withIntermediateDirectories: false)
        _ = try journal.append([.init(path: path("a"), change: .write(Array("2".utf8), mode: 0o600)),
                                .init(path: path("emptied"), change: .removeDirectory)])
        XCTAssertEqual(contents("a"), "1")
        XCTAssertTrue(try journal.recover(exclusive: true))
        XCTAssertEqual(contents("a"), "2")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("emptied")))
        try "3".write(toFile: path("a"), atomically: true, encoding: .utf8)
        XCTAssertFalse(try journal.recover(exclusive: true), "applied once, not again")
        XCTAssertEqual(contents("a"), "3")
    }

    /// A record is written over in place by a command holding the lock exclusively; a reader
    /// finishing a killed command's commit replaces it whole, as other readers may be reading.
    func testRecordsAreOverwrittenInPlaceOnlyUnderTheExclusiveLock() throws {
        let journal = Journal(in: store)
        let record = Journal.Entry(path: path("r.json"), change: .record(Array("{\"a\":1}".utf8)))
        try journal.markApplied(try journal.append([record]))
        try record.apply(durable: false, exclusive: true)
        let inode = try inodeNumber("r.json")

        // Killed halfway through writing a shorter record over it.
        _ = try journal.append([.init(path: path("r.json"), change: .record(Array("{}".utf8)))])
        try FileIO.overwrite(path("r.json"), Array("{".utf8), mode: [.ownerReadWrite], durable: false)
        XCTAssertTrue(try journal.recover(exclusive: true))
        XCTAssertEqual(contents("r.json"), "{}")
        XCTAssertEqual(try inodeNumber("r.json"), inode, "written in place")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path("r.json"))[.posixPermissions] as? Int, 0o600)

        _ = try journal.append([.init(path: path("r.json"), change: .record(Array("{\"b\":2}".utf8)))])
        XCTAssertTrue(try journal.recover(exclusive: false))
        XCTAssertEqual(contents("r.json"), "{\"b\":2}")
        XCTAssertNotEqual(try inodeNumber("r.json"), inode, "replaced whole")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root).sorted(), ["journal", "r.json"])
    }

    private func inodeNumber(_ name: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path(name))[.systemFileNumber] as? Int)
    }

    func testAFrameCutShortOrVoidedIsNeverApplied() throws {
        let journal = Journal(in: store, boot: "boot-1")
        try commit(journal, "a", "1")
        try commit(journal, "b", "cut short", applied: false)
        // Its last bytes never reached the disk: the zeros the file was grown with are there.
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path("journal")))
        let frameEnd = try XCTUnwrap(bytes.lastIndex { $0 != 0 }) + 1
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path("journal")))
        try handle.seek(toOffset: UInt64(frameEnd - 3))
        try handle.write(contentsOf: Data(count: 3))
        try handle.close()
        XCTAssertFalse(try journal.recover(exclusive: true))
        XCTAssertNil(contents("b"))

        let failed = try commit(journal, "c", "failed", applied: false)
        journal.void(failed)
        XCTAssertFalse(try journal.recover(exclusive: true))
        try FileManager.default.removeItem(atPath: path("a"))
        XCTAssertTrue(try Journal(in: store, boot: "boot-2").recover(exclusive: true), "a reboot applies the whole frames")
        XCTAssertEqual(contents("a"), "1")
        XCTAssertNil(contents("b"))
        XCTAssertNil(contents("c"))
    }

    func testAfterARebootEveryFrameSinceTheCheckpointIsAppliedAgain() throws {
        let before = Journal(in: store, boot: "boot-1")
        try commit(before, "a", "1")
        try commit(before, "b", "2")
        try commit(before, "a", "3")
        // Applied without a sync: a power loss may take them.
        try FileManager.default.removeItem(atPath: path("a"))
        try FileManager.default.removeItem(atPath: path("b"))
        XCTAssertFalse(try before.recover(exclusive: true), "in the same boot the files are whole")
        XCTAssertNil(contents("a"))

        let after = Journal(in: store, boot: "boot-2")
        XCTAssertTrue(try after.recover(exclusive: true))
        XCTAssertEqual(contents("a"), "3")
        XCTAssertEqual(contents("b"), "2")
        try FileManager.default.removeItem(atPath: path("b"))
        XCTAssertFalse(try after.recover(exclusive: true), "the reboot's recovery checkpointed")
        XCTAssertNil(contents("b"))
    }

    func testACheckpointDropsTheFramesItSynced() throws {
        let padding = String(repeating: "x", count: 300)
        let journal = Journal(in: store, capacity: 1000, boot: "boot-1")
        try commit(journal, "a", "1" + padding)
        try commit(journal, "b", "2" + padding)
        // The third does not fit: a and b are synced and dropped, c is written over a's frame.
        try commit(journal, "c", "3")
        try commit(journal, "d", "4")
        for name in ["a", "b", "c", "d"] { try FileManager.default.removeItem(atPath: path(name)) }
        XCTAssertTrue(try Journal(in: store, boot: "boot-2").recover(exclusive: true))
        XCTAssertNil(contents("a"))
        XCTAssertNil(contents("b"), "b's frame is left past the end, its sequence number passed")
        XCTAssertEqual(contents("c"), "3")
        XCTAssertEqual(contents("d"), "4")
        // Frames go over bytes the file has: it grows by whole steps, and checkpoints keep it
        // to the first however many frames come.
        let size = { try XCTUnwrap(FileManager.default.attributesOfItem(atPath: self.path("journal"))[.size] as? Int) }
        XCTAssertEqual(try size(), Journal.growth)
        for round in 0..<1000 { try commit(journal, "e", "\(round)" + padding) }
        XCTAssertEqual(try size(), Journal.growth)
        XCTAssertTrue(try Journal(in: store, boot: "boot-3").recover(exclusive: true))
        XCTAssertEqual(contents("e"), "999" + padding)
    }

    /// A derived file's content stays out of its frame; recovery has it computed again, after the
    /// frame's other entries and before the frame counts as applied.
    func testADerivedFileIsComputedAgainNotReplayed() throws {
        let journal = Journal(in: store, boot: "boot-1")
        let table = String(repeating: "10.0.0.2\tbox\n", count: 100)
        let entries: [Journal.Entry] = [.init(path: path("r.json"), change: .record(Array("{}".utf8))),
                                        .init(path: path("table"), change: .derived(Array(table.utf8), mode: 0o644))]
        try journal.markApplied(try journal.append(entries))
        for entry in entries { try entry.apply(durable: false, exclusive: true) }
        XCTAssertEqual(contents("table"), table)
        XCTAssertFalse(contents("journal")?.contains("10.0.0.2") ?? true, "the frame names the file alone")

        // Killed before applying: the record comes from the frame, the table from `rederive`,
        // which sees the record already written.
        _ = try journal.append([.init(path: path("r.json"), change: .record(Array("{\"n\":1}".utf8))),
                                .init(path: path("table"), change: .derived(Array("new".utf8), mode: 0o644))])
        var computed: [String?] = []
        let failing = { () throws(SwnetError) in
            computed.append(self.contents("r.json"))
            throw SwnetError(.system, "cannot compute")
        }
        XCTAssertThrowsError(try journal.recover(exclusive: true, rederive: failing))
        XCTAssertEqual(contents("table"), table, "nothing from the frame")
        let rederive = { () throws(SwnetError) in
            computed.append(self.contents("r.json"))
            try? "computed".write(toFile: self.path("table"), atomically: true, encoding: .utf8)
        }
        XCTAssertTrue(try journal.recover(exclusive: true, rederive: rederive), "still pending after a failed computation")
        XCTAssertEqual(computed, ["{\"n\":1}", "{\"n\":1}"])
        XCTAssertEqual(contents("table"), "computed")
        XCTAssertFalse(try journal.recover(exclusive: true, rederive: rederive))
        XCTAssertEqual(computed.count, 2, "applied once")

        // After a reboot every frame since the checkpoint is applied, and the files computed once.
        try FileManager.default.removeItem(atPath: path("table"))
        XCTAssertTrue(try Journal(in: store, boot: "boot-2").recover(exclusive: true, rederive: rederive))
        XCTAssertEqual(computed.count, 3)
        XCTAssertEqual(contents("table"), "computed")
    }

    func testTheFirstSwnetsJournalIsAppliedThenReplaced() throws {
        let target = path("a")
        let body = "w 384 \(target.utf8.count) 3\n\(target)new"
        try "swnet-journal \(body.utf8.count) \(FNV1a.hex(body.utf8))\n\(body)".write(toFile: path("journal"), atomically: true, encoding: .utf8)
        XCTAssertFalse(try Journal(in: store).recover(exclusive: true))
        XCTAssertEqual(contents("a"), "new")
        XCTAssertTrue(contents("journal")?.hasPrefix("swnet-journal v2 ") == true)
    }

    func testADamagedHeaderIsReportedNotIgnored() throws {
        try commit(Journal(in: store), "a", "1")
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path("journal")))
        try handle.seek(toOffset: 20)
        try handle.write(contentsOf: Data("?".utf8))
        try handle.close()
        XCTAssertThrowsError(try Journal(in: store).recover(exclusive: true)) { error in
            XCTAssertTrue("\(error)".contains("journal \(self.path("journal")) is damaged"), "\(error)")
        }
    }
}

extension Journal {
    /// Recovery of frames that name no derived file.
    func recover(exclusive: Bool) throws -> Bool {
        try recover(exclusive: exclusive, rederive: { XCTFail("no frame here names a derived file") })
    }
}
