import Foundation
import XCTest

/// Real traffic for firewall tests: servers inside sandboxes, clients anywhere, an "outside"
/// host joined to the private host by a veth.
extension PrivateHostTestCase {
    /// A TCP and UDP echo server answering every connection or datagram with "TOKEN PEER-ADDRESS".
    static let serverProgram = """
        import socket, sys, threading
        port, token = int(sys.argv[1]), sys.argv[2]
        def clean(a): return a[7:] if a.startswith('::ffff:') else a
        def tcp():
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('::', port)); s.listen(64)
            while True:
                c, a = s.accept(); c.sendall(f'{token} {clean(a[0])}\\n'.encode()); c.close()
        def udp():
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(('::', port))
            while True:
                d, a = s.recvfrom(100); s.sendto(f'{token} {clean(a[0])}\\n'.encode(), a)
        threading.Thread(target=udp, daemon=True).start()
        tcp()
        """

    /// Asks ADDRESS:PORT and prints the answer; exits 1 when nothing answers within the timeout.
    static let clientProgram = """
        import socket, sys, time
        host, port, proto, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        source_port = int(sys.argv[5]) if len(sys.argv) > 5 else 0
        family = socket.AF_INET6 if ':' in host else socket.AF_INET
        deadline = time.time() + timeout
        while True:
            try:
                if proto == 'tcp':
                    s = socket.create_connection((host, port), timeout=timeout)
                    print(s.recv(200).decode().strip()); sys.exit(0)
                # UDP has no handshake: ask again until an answer comes or time is up.
                s = socket.socket(family, socket.SOCK_DGRAM); s.settimeout(0.2)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('', source_port))
                while True:
                    try:
                        s.sendto(b'hi', (host, port)); print(s.recv(200).decode().strip()); sys.exit(0)
                    except (socket.timeout, ConnectionRefusedError) as error:
                        if time.time() > deadline: sys.exit(f'{error}')
            except ConnectionRefusedError as error:
                if time.time() > deadline: sys.exit(f'{error}')
                time.sleep(0.05)
            except OSError as error:
                sys.exit(f'{error}')
        """

    /// Starts the echo server in a sandbox's namespace; it dies with the namespace or on stop.
    func startServer(in sandbox: String, port: Int, token: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", sandbox, "python3", "-c", Self.serverProgram, String(port), token]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Connects from a namespace (nil: the private host itself); the answer, or nil.
    func ask(_ address: String, _ port: Int, from namespace: String? = nil, proto: String = "tcp",
             timeout: Double = 2, sourcePort: Int = 0) -> String? {
        var arguments = ["python3", "-c", Self.clientProgram, address, String(port), proto, String(timeout), String(sourcePort)]
        if let namespace { arguments = ["ip", "netns", "exec", namespace] + arguments }
        let result = runProgram("/usr/bin/env", arguments)
        if result.status != 0 && !result.error.isEmpty { print("ask \(address):\(port) from \(namespace ?? "host"): \(result.error)") }
        return result.status == 0 ? result.output.trimmingCharacters(in: .whitespacesAndNewlines) : nil
    }

    /// An "outside" host: namespace `outside`, 192.0.2.2 and 2001:db8::2, reaching the private
    /// host's 192.0.2.1 / 2001:db8::1 over the veth `uplink`. Returns its teardown.
    func makeOutsideHost() -> () -> Void {
        // No duplicate address detection: it would keep IPv6 unusable for the first seconds.
        let steps = [
            ["ip", "netns", "add", "outside"],
            ["ip", "netns", "exec", "outside", "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0"],
            ["ip", "link", "add", "uplink", "type", "veth", "peer", "name", "eth0", "netns", "outside"],
            ["sysctl", "-qw", "net.ipv6.conf.uplink.accept_dad=0"],
            ["ip", "addr", "add", "192.0.2.1/24", "dev", "uplink"],
            ["ip", "-6", "addr", "add", "2001:db8::1/64", "dev", "uplink", "nodad"],
            ["ip", "link", "set", "uplink", "up"],
            ["ip", "-n", "outside", "addr", "add", "192.0.2.2/24", "dev", "eth0"],
            ["ip", "-n", "outside", "-6", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad"],
            ["ip", "-n", "outside", "link", "set", "eth0", "up"],
            ["ip", "-n", "outside", "link", "set", "lo", "up"],
            ["ip", "-n", "outside", "route", "add", "default", "via", "192.0.2.1"],
            ["ip", "-n", "outside", "-6", "route", "add", "default", "via", "2001:db8::1"],
        ]
        for step in steps {
            let result = runProgram("/usr/bin/env", step)
            XCTAssertEqual(result.status, 0, "\(step.joined(separator: " ")): \(result.error)")
        }
        return {
            runProgram("/usr/bin/env", ["ip", "netns", "del", "outside"])
            runProgram("/usr/bin/env", ["ip", "link", "del", "uplink"])
        }
    }

    /// Every line of the legacy tables of both families that mentions swnet, then swnet's
    /// nftables tables as `nft` lists them without their counters.
    func swnetFirewallLines() -> [String] {
        var lines: [String] = []
        for tool in ["iptables-legacy-save", "ip6tables-legacy-save"] {
            lines += runProgram("/usr/bin/env", [tool]).output.split(separator: "\n").map(String.init)
                .filter { $0.contains("swnet") || $0.contains("SWNET") }
        }
        for family in ["ip", "ip6"] {
            lines += runProgram("/usr/bin/env", ["nft", "-s", "list", "table", family, "swnet"]).output.split(separator: "\n").map(String.init)
        }
        return lines
    }
}
