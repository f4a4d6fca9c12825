import Foundation
import Glibc
import XCTest

/// The first command that finds swnet's code in 4 KB page-cache pages, as exec reads a binary
/// after a boot, re-reads it in huge folios; once per binary per boot.
final class ExecutablePagesTests: PrivateHostTestCase {
    func testTheFirstCommandAfterABootRereadsTheBinaryInHugeFolios() throws {
        try XCTSkipUnless(pageCacheHasLargeFolios(), "this file system keeps no large folios in the page cache")
        // A copy of its own: the binary the other tests run keeps its pages, and its mark.
        let copy = stateDirectory + "-swnet"
        XCTAssertEqual(runProgram("/bin/cp", [Self.binary, copy]).status, 0)
        defer { unlink(copy) }
        let (segments, alignments) = try readOnlySegments(of: copy)
        XCTAssertFalse(segments.isEmpty)
        // What the re-read relies on: each 2 MB of the file holds one segment's pages alone.
        guard alignments.allSatisfy({ $0 >= 2 << 20 }) else {
            return XCTFail("\(Self.binary) is not laid out as `make release` links swnet (segments on 2 MB boundaries)")
        }

        var binary = stat()
        XCTAssertEqual(stat(copy, &binary), 0)
        // The copy's device and inode name its mark; how the rest of the name spells the
        // modification time is the shim's business.
        let markPrefix = "checked-\(binary.st_dev)-\(binary.st_ino)-"
        func marks() -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/swnet")) ?? []
            return names.filter { $0.hasPrefix(markPrefix) }
        }
        defer { marks().forEach { unlink("/run/swnet/" + $0) } }
        // The pages of one 2 MB window. Read by exec, the binary is nearly all in 4 KB pages
        // (readahead now and then makes a folio of two or four); re-read, at most one window is.
        let window = 512

        // Without the privilege to see page frames it cannot tell, and leaves the pages alone.
        try dropFromCache(copy)
        let nobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", copy, "version"]
        XCTAssertEqual(runProgram("/usr/bin/setpriv", nobody).status, 0)
        XCTAssertEqual(marks(), [])
        let unprivileged = try folios(of: copy, in: segments)
        XCTAssertGreaterThan(unprivileged.small, window, "\(unprivileged)")

        try dropFromCache(copy)
        XCTAssertEqual(runProgram(copy, ["version"]).status, 0)
        let reread = try folios(of: copy, in: segments)
        // A huge folio the kernel cannot allocate at once is read in 4 KB pages instead: one
        // such window is let pass.
        XCTAssertLessThanOrEqual(reread.small, window, "\(reread)")
        XCTAssertEqual(reread.uncached, 0, "all of it read, for later commands' faults to find: \(reread)")
        XCTAssertEqual(marks().count, 1, "the command marks the binary as looked at")

        // As if the cache had let the binary go later in the same boot: read as exec reads it,
        // and left so, since only the first command of a boot looks (where the file system has
        // no large folios, each re-read would cost ~25 ms for nothing).
        try dropFromCache(copy)
        XCTAssertEqual(runProgram(copy, ["version"]).status, 0)
        let again = try folios(of: copy, in: segments)
        XCTAssertGreaterThan(again.small, window, "\(again)")
    }
}

/// How a file's pages sit in the page cache.
private struct Folios: CustomStringConvertible {
    var small = 0, large = 0, uncached = 0
    var description: String { "\(small) pages in 4 KB folios, \(large) in larger ones, \(uncached) not cached" }
}

/// The file ranges of an ELF executable's read-only load segments, and their alignments.
private func readOnlySegments(of path: String) throws -> (ranges: [Range<Int>], alignments: [Int]) {
    let elf = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> Int {
        Int(elf[offset..<offset + MemoryLayout<T>.size].reversed().reduce(T(0)) { $0 << 8 | T($1) })
    }
    let headers = integer(UInt64.self, at: 0x20), size = integer(UInt16.self, at: 0x36), count = integer(UInt16.self, at: 0x38)
    let segments = (0..<count).compactMap { index -> (Range<Int>, Int)? in
        let header = headers + index * size
        let (type, flags) = (integer(UInt32.self, at: header), integer(UInt32.self, at: header + 4))
        let (offset, fileSize) = (integer(UInt64.self, at: header + 8), integer(UInt64.self, at: header + 32))
        let alignment = integer(UInt64.self, at: header + 48)
        return type == 1 /* PT_LOAD */ && flags & 2 /* PF_W */ == 0 ? (offset..<offset + fileSize, alignment) : nil
    }
    return (segments.map(\.0), segments.map(\.1))
}

/// Counts the pages of `ranges` of the file by the size of their page-cache folio: mapped
/// shared, each cached page (mincore) is touched and its frame's flags read (kpageflags).
private func folios(of path: String, in ranges: [Range<Int>]) throws -> Folios {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(file) }
    let length = ranges.map(\.upperBound).max() ?? 0
    guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, file, 0), mapping != MAP_FAILED else {
        throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    defer { munmap(mapping, length) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    var cached = [UInt8](repeating: 0, count: (length + page - 1) / page)
    guard mincore(mapping, length, &cached) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    let pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC), pageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC)
    defer { close(pagemap); close(pageflags) }
    var counts = Folios()
    for range in ranges {
        for offset in stride(from: range.lowerBound / page * page, to: range.upperBound, by: page) {
            guard cached[offset / page] & 1 == 1 else { counts.uncached += 1; continue }
            let address = UInt(bitPattern: mapping) + UInt(offset)
            _ = UnsafePointer<UInt8>(bitPattern: address)?.pointee
            var entry: UInt64 = 0, flags: UInt64 = 0
            guard pread(pagemap, &entry, 8, off_t(address / UInt(page) * 8)) == 8, entry >> 63 == 1,
                pread(pageflags, &flags, 8, off_t((entry & (1 << 55 - 1)) * 8)) == 8
            else { throw POSIXError(.EIO) }
            // KPF_COMPOUND_HEAD, KPF_COMPOUND_TAIL
            if flags & (1 << 15 | 1 << 16) != 0 { counts.large += 1 } else { counts.small += 1 }
        }
    }
    return counts
}

/// Takes a file no process maps out of the page cache, as a reboot would.
private func dropFromCache(_ path: String) throws {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(file) }
    fsync(file)
    posix_fadvise(file, 0, 0, POSIX_FADV_DONTNEED)
}

/// Whether the page cache of the temporary directory's file system holds large folios: a 2 MB
/// write of a new file is cached in them where it does.
private func pageCacheHasLargeFolios() throws -> Bool {
    let path = NSTemporaryDirectory() + "swnet-folios-" + UUID().uuidString
    try Data(count: 2 << 20).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let written = try folios(of: path, in: [0..<(2 << 20)])
    return written.large > 0
}
