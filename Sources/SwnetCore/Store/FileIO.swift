import CSwnetShim
import Glibc
import SystemPackage

/// Small file helpers on swift-system's typed descriptors, used by the store and sandbox files.
enum FileIO {
    /// The whole file (its first `limit` bytes at most), or nil when it does not exist.
    static func read(_ path: String, limit: Int = .max) throws -> [UInt8]? {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec], retryOnInterrupt: true)
        } catch Errno.noSuchFileOrDirectory {
            return nil
        }
        defer { try? fd.close() }
        var status = stat()
        let size = fstat(fd.rawValue, &status) == 0 ? Int(status.st_size) : 0
        // One byte past the size: a read that fills that means the file grew since, or is one
        // that reports no size (/proc), and the rest is read after it.
        var wanted = min(limit, size + 1)
        var result = try read(fd, count: wanted)
        while result.count == wanted, wanted < limit {
            let more = try read(fd, count: min(limit - wanted, max(wanted, 4096)))
            if more.isEmpty { break }
            result += more
            wanted += more.count
        }
        return result
    }

    /// Up to `count` bytes of `fd` from `offset` (from its position when nil), read straight
    /// into the array returned, which `count` sizes. At 1000 endpoints a network's name table is
    /// ~170 KB: read by chunks into a growing array it was copied three times over, each time
    /// into fresh pages the kernel zeroed and mapped one fault at a time.
    static func read(_ fd: FileDescriptor, at offset: Int? = nil, count: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            while initialized < count {
                let rest = UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[initialized...]))
                let read = if let offset {
                    try fd.read(fromAbsoluteOffset: Int64(offset + initialized), into: rest, retryOnInterrupt: true)
                } else {
                    try fd.read(into: rest, retryOnInterrupt: true)
                }
                if read == 0 { break }
                initialized += read
            }
        }
    }

    /// Writes all of `bytes` to `fd` at `offset`, leaving its position alone.
    static func write(_ bytes: [UInt8], to fd: FileDescriptor, at offset: Int) throws {
        _ = try bytes.withUnsafeBytes { try fd.writeAll(toAbsoluteOffset: Int64(offset), $0) }
    }

    /// Writes `first` then `second` to `fd` at `offset` and returns once they are on disk (see
    /// `swnet_write_synced`): a journal frame's line and body, in one call and without copying
    /// the body (up to ~170 KB) into one buffer with the line.
    static func writeSynced(_ first: [UInt8], _ second: [UInt8] = [], to fd: FileDescriptor, at offset: Int) throws {
        let result = first.withUnsafeBytes { first in
            second.withUnsafeBytes { second in
                swnet_write_synced(fd.rawValue, first.baseAddress, first.count, second.baseAddress, second.count,
                                   off_t(offset))
            }
        }
        guard result == 0 else { throw Errno(rawValue: errno) }
    }

    /// Replaces `path` so that readers and crashes see either the old or the new content: write
    /// a temporary file, fsync it (when `durable`), put it in place. That is durable only once
    /// the directory is synced too (`sync`: the journal's checkpoints sync each directory once).
    ///
    /// An existing file is swapped with the new one, then the old one removed, rather than
    /// renamed over: renaming over a file makes ext4 start writing the new one out at once (its
    /// `auto_da_alloc` guard for programs that never sync), ~130 µs per file here against
    /// ~15 µs, for nothing: what commits write is synced by the journal's checkpoints.
    static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: FilePermissions = [.ownerReadWrite],
                                durable: Bool = true) throws {
        let temporary = "\(path).tmp.\(getpid())"
        let fd = try FileDescriptor.open(
            FilePath(temporary), .writeOnly, options: [.create, .truncate, .closeOnExec],
            permissions: mode, retryOnInterrupt: true)
        do {
            try fd.closeAfter {
                _ = try bytes.withUnsafeBytes { try fd.writeAll($0) }
                if durable {
                    guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
                }
            }
            if swnet_exchange(temporary, path) == 0 {
                unlink(temporary)
                return
            }
            // No file to swap with (ENOENT), or a file system that cannot swap (EINVAL).
            guard errno == ENOENT || errno == EINVAL, rename(temporary, path) == 0 else { throw Errno(rawValue: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes `bytes` over the file at `path` (made with `mode` when missing), in place: a reader
    /// or a crash may see it half written, so only for files the caller alone reads and a
    /// journal can repair. The file is cut to length after the write rather than truncated
    /// first: truncating a file to nothing makes ext4 write it out at close (`auto_da_alloc`).
    /// A missing file is made of one of `spares` when there is one.
    static func overwrite(_ path: String, _ bytes: [UInt8], mode: FilePermissions, durable: Bool,
                          spares: SpareFiles? = nil) throws {
        let open = { (options: FileDescriptor.OpenOptions) throws in
            try FileDescriptor.open(FilePath(path), .writeOnly, options: options, permissions: mode, retryOnInterrupt: true)
        }
        let fd: FileDescriptor
        do {
            fd = try open(spares == nil ? [.create, .closeOnExec] : [.closeOnExec])
        } catch Errno.noSuchFileOrDirectory where spares != nil {
            _ = spares?.take(to: path)
            fd = try open([.create, .closeOnExec])
        }
        try fd.closeAfter {
            try write(bytes, to: fd, at: 0)
            guard ftruncate(fd.rawValue, off_t(bytes.count)) == 0 else { throw Errno(rawValue: errno) }
            if durable {
                guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
            }
        }
    }

    /// Replaces `path` with a symbolic link to `target`, in one rename.
    static func symlinkAtomically(_ path: String, to target: String) throws {
        let temporary = "\(path).tmp.\(getpid())"
        unlink(temporary)
        guard symlink(target, temporary) == 0 else { throw Errno(rawValue: errno) }
        guard rename(temporary, path) == 0 else {
            let error = Errno(rawValue: errno)
            unlink(temporary)
            throw error
        }
    }

    /// Where a symbolic link points, or nil when `path` is not one.
    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a file; one that is already gone is fine.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw Errno(rawValue: errno) }
    }

    /// The directory part of a path ("/a/b" for "/a/b/c"); the path itself when it has none.
    static func parent(_ path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    /// Makes a directory (and its parents) with `mode` when missing.
    static func makeDirectory(_ path: String, mode: mode_t) throws {
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, let slash = path.lastIndex(of: "/"), slash != path.startIndex else {
            throw Errno(rawValue: errno)
        }
        try makeDirectory(String(path[..<slash]), mode: 0o755)
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw Errno(rawValue: errno) }
    }

    /// The names in a directory (without "." and ".."), or [] when it does not exist.
    static func list(_ path: String) throws -> [String] {
        guard let stream = opendir(path) else {
            if errno == ENOENT { return [] }
            throw Errno(rawValue: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Flushes a file's content, or a directory's entries (making renames and removals in it
    /// durable), to the disk: what commits wrote with `writeAtomically(durable: false)` is synced
    /// so at the journal's checkpoints.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Errno(rawValue: errno) }
    }
}
