import CSwnetShim
import Glibc

/// Runs work on a short-lived thread inside another network namespace.
///
/// Namespace membership belongs to a thread, so entering one on a thread that lives on (the main
/// thread, a concurrency pool thread) would leak the namespace into unrelated work. A fresh thread
/// that enters, works and exits keeps every other thread where it was. Anything the work creates
/// that is bound to the namespace at creation (a netlink socket, a mount of its ns file) stays
/// valid after the thread is gone.
enum NamespaceThread {
    private final class Job {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    private static let trampoline: swnet_thread_body = { context in
        guard let context else { return }
        Unmanaged<Job>.fromOpaque(context).takeUnretainedValue().work()
    }

    /// Runs `body` on a thread that entered the namespace open at `namespaceFD`, or a brand-new
    /// namespace when `namespaceFD` is nil. Throws the errno of entering it.
    static func run<T>(
        in namespaceFD: Int32?, operation: String, object: String, _ body: () throws -> T
    ) throws -> T {
        try withoutActuallyEscaping(body) { body in
            var result: Result<T, any Error>?
            let job = Unmanaged.passRetained(Job { result = Result { try body() } })
            defer { job.release() }
            let rc: Int32
            if let namespaceFD {
                rc = swnet_run_in_netns(namespaceFD, trampoline, job.toOpaque())
            } else {
                rc = swnet_run_in_new_netns(trampoline, job.toOpaque())
            }
            guard rc == 0, let result else {
                throw KernelError(operation, object, errno: rc == 0 ? EIO : rc)
            }
            return try result.get()
        }
    }
}
