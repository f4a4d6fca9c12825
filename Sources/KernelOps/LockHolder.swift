import Glibc

/// Who holds an flock, from /proc/locks: `flock` itself never says.
public enum LockHolder {
    /// "pid N (command line)" of a process holding an flock on `path`, or nil when none is found.
    public static func describe(path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let device = UInt64(info.st_dev)
        let major = (device >> 8) & 0xfff | (device >> 32) & ~0xfff
        let minor = device & 0xff | (device >> 12) & ~0xff
        let key = hex(major) + ":" + hex(minor) + ":" + String(info.st_ino)
        // "1: FLOCK  ADVISORY  WRITE 1234 fe:00:16015361 0 EOF"
        for line in readText("/proc/locks").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == key, let pid = Int32(fields[4]) else { continue }
            let command = readText("/proc/\(pid)/cmdline").map { $0 == "\0" || $0 == "\n" ? " " : $0 }
            let text = String(command).split(separator: " ").joined(separator: " ")
            return text.isEmpty ? "pid \(pid)" : "pid \(pid) (\(text.count > 60 ? text.prefix(59) + "…" : text))"
        }
        return nil
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return text.count < 2 ? "0" + text : text
    }

    private static func readText(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
