import CSwnetShim
import Glibc

/// Kernel parameters under /proc/sys, as the calling thread's network namespace has them.
///
/// Looked up in a procfs of the process's own, mounted nowhere and gone with it, rather than in
/// /proc: every network namespace that ever read its IPv6 settings leaves a dentry named `ipv6`
/// under the one `/proc/sys/net` (and likewise `ipv4`), all in one hash chain, so the first lookup
/// in a new namespace walks every one of them. With 3000 namespaces on the host, the first sysctl of a
/// new sandbox took 24-62 ms through /proc and 0.05 ms through a fresh instance (which costs
/// ~0.1 ms to make and about as much to drop). Where no procfs can be made (Linux before 5.2, no
/// CAP_SYS_ADMIN), /proc/sys is used; before 5.8, an instance shares /proc's dentries.
public final class Sysctl {
    /// The private procfs root, or nil for /proc.
    private let root: Int32?

    public init() {
        let fd = swnet_private_procfs()
        root = fd >= 0 ? fd : nil
    }

    deinit {
        if let root { close(root) }
    }

    /// Writes `value` to a key given as its path under /proc/sys ("net/ipv4/ip_forward"; the
    /// dotted form is ambiguous for interface names with dots), skipping the write when the
    /// value is already set.
    public func set(_ key: String, to value: String) throws {
        if (try? get(key)) == value { return }
        let fd = try open(key, O_WRONLY)
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw KernelError("write sysctl \(value) to", key, errno: errno)
        }
    }

    /// Reads a key, without its trailing newline.
    public func get(_ key: String) throws -> String {
        let fd = try open(key, O_RDONLY)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(fd, &buffer, buffer.count)
        guard count >= 0 else { throw KernelError("read sysctl", key, errno: errno) }
        var text = String(decoding: buffer[..<count], as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        return text
    }

    private func open(_ key: String, _ mode: Int32) throws -> Int32 {
        let fd = if let root {
            openat(root, "sys/" + key, mode | O_CLOEXEC)
        } else {
            Glibc.open("/proc/sys/" + key, mode | O_CLOEXEC)
        }
        guard fd >= 0 else { throw KernelError("open sysctl", key, errno: errno) }
        return fd
    }
}
