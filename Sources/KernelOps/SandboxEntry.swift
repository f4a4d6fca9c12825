import CSwnetShim
import Glibc

/// Running a command inside a sandbox the way `ip netns exec` does, plus its hostname.
public enum SandboxEntry {
    /// What the command should find when it runs.
    public struct Environment: Sendable {
        /// The sandbox's network namespace file.
        public var namespacePath: String
        /// A directory whose files (hosts, resolv.conf) are bound over their /etc namesakes.
        public var etcDirectory: String?
        public var hostname: String?

        public init(namespacePath: String, etcDirectory: String?, hostname: String?) {
            self.namespacePath = namespacePath
            self.etcDirectory = etcDirectory
            self.hostname = hostname
        }
    }

    /// Replaces this process with `command` inside the sandbox: its network namespace, a private
    /// mount namespace in which /sys shows that network namespace and the sandbox's files cover
    /// /etc's, and a private UTS namespace carrying its hostname. The command's exit status is
    /// therefore the caller's.
    ///
    /// Must be called while the process has a single thread: the kernel refuses a new mount
    /// namespace (EINVAL) to a process that shares its filesystem state with other threads.
    public static func exec(_ command: [String], in environment: Environment) throws -> Never {
        guard let program = command.first else {
            throw KernelError("run", "an empty command", errno: EINVAL)
        }
        let path = environment.namespacePath
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError("open network namespace", path, errno: errno) }
        guard swnet_setns(fd, swnet_CLONE_NEWNET) == 0 else {
            throw KernelError("enter network namespace", path, errno: errno)
        }
        close(fd)
        let flags = swnet_CLONE_NEWNS | (environment.hostname == nil ? 0 : swnet_CLONE_NEWUTS)
        guard swnet_unshare(flags) == 0 else {
            throw KernelError("create private mount namespace for", path, errno: errno)
        }
        // Our mounts below must not propagate back to the host's mount namespace.
        guard mount("", "/", "none", UInt(MS_SLAVE | MS_REC), nil) == 0 else {
            throw KernelError("make mounts private for", path, errno: errno)
        }
        // As iproute2 does: a best effort, /sys is read-only or absent in some containers.
        if umount2("/sys", Int32(MNT_DETACH)) == 0 {
            _ = mount("sysfs", "/sys", "sysfs", 0, nil)
        }
        if let directory = environment.etcDirectory {
            try bindFiles(of: directory, over: "/etc")
        }
        if let hostname = environment.hostname {
            guard sethostname(hostname, hostname.utf8.count) == 0 else {
                throw KernelError("set hostname", hostname, errno: errno)
            }
        }
        var arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        arguments.append(nil)
        execvp(program, &arguments)
        throw KernelError("run", program, errno: errno)
    }

    private static func bindFiles(of directory: String, over target: String) throws {
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return }
            throw KernelError("read", directory, errno: errno)
        }
        defer { closedir(stream) }
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let source = directory + "/" + name
            let destination = target + "/" + name
            guard access(destination, F_OK) == 0 else { continue }
            guard mount(source, destination, "none", UInt(MS_BIND), nil) == 0 else {
                throw KernelError("bind \(source) over", destination, errno: errno)
            }
        }
    }
}
