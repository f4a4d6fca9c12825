import Glibc
import KernelOps

/// The state directory's lock: exclusive for commands that change anything, shared for readers.
///
/// Held from before a command reads the state until after it has saved it, so parallel scripts
/// never plan from a stale picture: no duplicate addresses, no lost updates. `flock` locks die
/// with their process, so a killed command never leaves the directory locked.
final class StateLock {
    private let fd: Int32

    /// Takes the lock, waiting up to `timeout` seconds; after a second of waiting `onWait` is
    /// told once, so a user knows why nothing happens.
    init(directory: String, exclusive: Bool, timeout: Double, onWait: (String) -> Void) throws(SwnetError) {
        let path = directory + "/lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SwnetError(.system, "cannot open lock file \(path)", why: String(cString: strerror(errno)),
                             hint: "run swnet as root")
        }
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB
        var waited = 0.0
        var told = false
        var pause = 0.0005
        while flock(fd, operation) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw SwnetError(.system, "cannot lock \(path)", why: reason)
            }
            if waited >= timeout {
                let holder = LockHolder.describe(path: path) ?? "another swnet command"
                close(fd)
                throw SwnetError(.conflict, "timed out after \(Int(timeout))s waiting for the state lock \(path)",
                                 why: "held by \(holder)",
                                 hint: "wait for it to finish, or raise SWNET_LOCK_TIMEOUT")
            }
            if waited >= 1 && !told {
                told = true
                onWait("waiting for the state lock held by \(LockHolder.describe(path: path) ?? "another swnet command")")
            }
            usleep(useconds_t(pause * 1_000_000))
            waited += pause
            pause = min(pause * 2, 0.05)
        }
    }

    deinit {
        close(fd)  // closing releases the flock
    }
}
