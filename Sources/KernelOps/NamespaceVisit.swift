import CSwnetShim
import Glibc

/// Runs work with the calling thread inside another network namespace, then brings the thread
/// back to the namespace it was in.
///
/// Namespace membership belongs to a thread, and what the work creates that is bound to the
/// namespace at creation (a netlink socket, a mount of its ns file) stays bound to it after the
/// thread has left. swnet used to run such work on a fresh thread that entered, worked and
/// exited, so that no thread ever came back from elsewhere; creating one took 0.15-0.24 ms and
/// joining it a wake-up, and `sandbox create`, `connect` and `join` visit once or twice (measured
/// side by side: 0 to 0.45 ms less per command without). Leaving and coming back are one
/// `setns(2)` each, and the work is synchronous, so nothing else runs on the thread while it is
/// away.
enum NamespaceVisit {
    /// Runs `body` with the calling thread in the namespace open at `namespaceFD`, or in a
    /// brand-new namespace when `namespaceFD` is nil (reachable from `body` at
    /// /proc/thread-self/ns/net, and freed on return unless `body` bound it somewhere). Throws
    /// the errno of entering it; `body` has not run then.
    static func run<T>(in namespaceFD: Int32?, operation: String, object: String, _ body: () throws -> T) throws -> T {
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else { throw KernelError("open own network namespace", "/proc/thread-self/ns/net", errno: errno) }
        defer { close(home) }
        let entered = namespaceFD.map { swnet_setns($0, swnet_CLONE_NEWNET) } ?? swnet_unshare(swnet_CLONE_NEWNET)
        guard entered == 0 else { throw KernelError(operation, object, errno: errno) }
        defer { comeBack(to: home) }
        return try body()
    }

    /// Returns the thread to `home`. Going back to a namespace the thread came from, with the
    /// privilege it left with, has no failure the kernel documents; should it fail anyway, the
    /// process stops before any further step (a rollback among them) acts on the wrong
    /// namespace: what it left half done is what `swnet system gc` finds after a killed command.
    private static func comeBack(to home: Int32) {
        guard swnet_setns(home, swnet_CLONE_NEWNET) != 0 else { return }
        let message = "swnet: error: cannot return to the host network namespace (errno \(errno)); stopped; run 'swnet system gc'\n"
        _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        _exit(3)
    }
}
