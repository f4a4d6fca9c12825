import Glibc

/// Kernel parameters under /proc/sys, in the calling thread's network namespace.
public enum Sysctl {
    /// Writes `value` to a key given as its path under /proc/sys ("net/ipv4/ip_forward"; the
    /// dotted form is ambiguous for interface names with dots), skipping the write when the
    /// value is already set.
    public static func set(_ key: String, to value: String) throws {
        let path = "/proc/sys/" + key
        if (try? get(key)) == value { return }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError("open sysctl", key, errno: errno) }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw KernelError("write sysctl \(value) to", key, errno: errno)
        }
    }

    /// Reads a key, without its trailing newline.
    public static func get(_ key: String) throws -> String {
        let path = "/proc/sys/" + key
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError("open sysctl", key, errno: errno) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(fd, &buffer, buffer.count)
        guard count >= 0 else { throw KernelError("read sysctl", key, errno: errno) }
        var text = String(decoding: buffer[..<count], as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
