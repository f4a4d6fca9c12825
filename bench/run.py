#!/usr/bin/env python3
"""swnet's benchmark, side by side with its peers, in one interleaved run.

The workload, the same for every system: attach one new container (a fresh network namespace)
to a bridge network with an automatic address, a default route, masquerade and one published TCP
port; then detach it. Systems:

  swnet CNM     sandbox create + endpoint create --publish + join; sandbox rm + endpoint rm
  swnet short   sandbox create + connect --publish; sandbox rm
  swnet one     sandbox create --network --publish (the two above in one command); sandbox rm
  CNI           ip netns add + bridge/host-local ADD + portmap ADD (the CNI environment
                protocol, driven by hand); portmap DEL + bridge DEL + ip netns del
  netavark      ip netns add + netavark setup (this harness plays podman and picks the address);
                netavark teardown + ip netns del
  shell floor   ip -batch (namespace, veth, bridge port) + ip -n -batch (address, routes) +
                iptables-restore --noflush (DNAT); ip netns del + iptables-restore --noflush

with N = 1, 100 and 1000 containers already on each network (each with its own published port),
every executable as after a boot (a fill leaves the fast systems idle for minutes, and these VMs
page idle text out), one round unmeasured, then rounds interleaved A B C D E F A B … so that a
noisy moment hits every system alike. Each system works on a host of its own (a network
namespace per system, so its firewall holds only its own rules, as on a machine running only
it), driven by a worker process; the workers fill their networks side by side. After each detach
the harness waits, unmeasured, until the kernel has removed the links the attach made (it does
so after the command returns, when the namespace goes, holding the rtnl lock every host's
netlink changes need): otherwise a system's attach is timed while the kernel tears down another
system's container, and at N=1000 that overlap was most of a fast system's growth (swnet's: 5-8
µs per endpoint with it, 0.7-1.6 without). The report gives how long each teardown took, and
each command's reads from the disk. Runs inside scripts/private-host (`make bench`): swnet
removes what it made (and the run fails if any state is left); the peers' namespaces, links and
rules end with the private host. Writes bench/RESULTS.md.

Before the levels, attach and detach BATCH containers at once, on two hosts of their own, for
the tools that take many in one command: swnet's topology file (`up -f`, `down -f`) and the shell
floor batched as far as `ip` allows (one `ip -batch` for the bridge and every namespace, veth and
bridge port, one `ip -n NAME -batch` per namespace, as addresses do not survive a move between
namespaces, and one `iptables-restore` for every rule; the bridge and rules go with the
containers, as the topology's network goes with `swnet down`).

Before all that, on a host of their own at N=1, swnet's short and CNM paths and the shell floor
run under perf, which times each command's fork and exec, its running and its exit, and
in swnet its start, parsing, work and commit (bench/phases.py).

    python3 bench/run.py SWNET_BINARY [--rounds N] [--levels 1,100,1000]
"""
import ctypes
import json
import multiprocessing
import multiprocessing.connection
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import phases

ROUNDS = 15
LEVELS = [1, 100, 1000]
BATCH = 100
BATCH_ROUNDS = 5
CNI_PATH = "/usr/lib/cni"
NETAVARK = "/usr/lib/podman/netavark"
# Where swnet marks that it re-read its code (KernelOps/ExecutablePages.swift).
SWNET_MARKS = "/run/swnet"


def run(argv, env=None, stdin=None, capture=False):
    """Runs one command and returns (milliseconds, stdout); fails loudly on error."""
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, input=stdin, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {result.stderr.strip()}")
    return elapsed, result.stdout


def ms(argv, env=None, stdin=None):
    return run(argv, env, stdin)[0]


def run_steps(steps):
    """Runs the commands of an attach or detach, each (argv, environment, standard input), one
    after the other; returns their milliseconds in all."""
    return sum(ms(argv, env, stdin) for argv, env, stdin in steps)


def installed_executables(swnet):
    """One command per executable the systems run, with its environment, for `as_after_boot`."""
    cni_version = dict(os.environ, CNI_COMMAND="VERSION")
    return ([([swnet, "version"], None), (["/bin/true"], None), ([NETAVARK, "--version"], None),
             ([shutil.which("ip"), "-V"], None), ([shutil.which("iptables-restore"), "--version"], None)]
            + [([f"{CNI_PATH}/{plugin}"], cni_version) for plugin in ["bridge", "host-local", "portmap"]])


def as_after_boot(commands):
    """Leaves each command's executable in the page cache as an installed one is after a boot:
    dropped, then read back by running it once, which exec does in 4 KB pages. A file just
    written (a fresh build, a package just installed) sits in 64 KB folios instead, where each
    page fault costs about half as much: swnet's commands take 0.3-0.7 ms less in that state
    (see the README). swnet, run as root, finds itself in 4 KB pages at that first run and
    re-reads its code in 2 MB folios, as it does at the first command after a boot: its marks
    that it did (in /run/swnet, which a boot empties) are removed first; the bench runs on a
    private host, whose /run/swnet is its own."""
    for mark in os.listdir(SWNET_MARKS) if os.path.isdir(SWNET_MARKS) else []:
        if mark.startswith("checked-"):
            os.remove(os.path.join(SWNET_MARKS, mark))
    os.sync()
    for argv, env in commands:
        with open(argv[0], "rb") as file:
            os.posix_fadvise(file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def progress(started, text):
    """One line on standard error per phase of the run, with the seconds since it started."""
    print(f"bench: {time.time() - started:4.0f} s  {text}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


def p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def address(base, index):
    """The index-th host address of a /16 whose first two octets are `base`, past the gateway."""
    return f"{base}.{(index + 2) // 256}.{(index + 2) % 256}"


class Stepwise:
    """A system whose attach and detach are fixed lists of commands (`attach_steps`,
    `detach_steps`), which the tracing of bench/phases.py runs too."""

    def attach(self, name, port):
        return run_steps(self.attach_steps(name, port))

    def detach(self, name):
        return run_steps(self.detach_steps(name))


class SwnetCNM(Stepwise):
    name = "swnet CNM"
    # Each swnet system keeps its own state and network.
    state, network, subnet = "state-cnm", "bcnm", "10.210.0.0/16"

    def __init__(self, swnet, scratch):
        self.swnet, self.env = swnet, dict(os.environ, SWNET_STATE_DIR=os.path.join(scratch, self.state))
        self.sw("network", "create", self.network, "--subnet", self.subnet)

    def sw(self, *args):
        return ms([self.swnet, *args], env=self.env)

    def step(self, *args):
        """One swnet command of an attach or detach: (argv, environment, standard input)."""
        return [self.swnet, *args], self.env, None

    def attach_steps(self, name, port):
        return [self.step("sandbox", "create", name),
                self.step("endpoint", "create", "--network", self.network, name, "--publish", f"{port}:80"),
                self.step("join", name, name)]

    def detach_steps(self, name):
        return [self.step("sandbox", "rm", name), self.step("endpoint", "rm", name)]

    def remove_all_steps(self, names):
        """The detach of many containers at once: each of its commands takes many names."""
        return [self.step("sandbox", "rm", *names), self.step("endpoint", "rm", *names)]

    def close(self):
        self.sw("network", "rm", "--force", self.network)

    def teardown(self, prefix, present):
        swnet_teardown(self, prefix, present)


class SwnetShort(SwnetCNM):
    name = "swnet short"
    state, network, subnet = "state-short", "bshort", "10.211.0.0/16"

    def attach_steps(self, name, port):
        return [self.step("sandbox", "create", name), self.step("connect", self.network, name, "--publish", f"{port}:80")]

    def detach_steps(self, name):
        return [self.step("sandbox", "rm", name)]

    def remove_all_steps(self, names):
        return [self.step("sandbox", "rm", *names)]

    def extras(self, rounds):
        return swnet_extras(self, rounds)


class SwnetOne(SwnetShort):
    name = "swnet one command"
    state, network, subnet = "state-one", "bone", "10.217.0.0/16"

    def attach_steps(self, name, port):
        return [self.step("sandbox", "create", name, "--network", self.network, "--publish", f"{port}:80")]


class CNI:
    name = "CNI"
    # Attaches whose cost grows with the containers present (CNI's 1000th takes a second) may
    # fill on two threads once no other host is filling (see `fill_side_by_side`).
    fill_lanes = 2

    def __init__(self, scratch):
        self.data = os.path.join(scratch, "cni")
        self.bridge = json.dumps({
            "cniVersion": "1.0.0", "name": "bcni", "type": "bridge", "bridge": "cnibr0", "isGateway": True,
            "ipMasq": True, "ipam": {"type": "host-local", "subnet": "10.212.0.0/16",
                                     "routes": [{"dst": "0.0.0.0/0"}], "dataDir": self.data}})
        self.portmaps = {}

    def env(self, command, name):
        return dict(os.environ, CNI_COMMAND=command, CNI_CONTAINERID=name, CNI_NETNS=f"/run/netns/{name}",
                    CNI_IFNAME="eth0", CNI_PATH=CNI_PATH)

    def attach(self, name, port):
        elapsed = ms(["ip", "netns", "add", name])
        took, result = run([f"{CNI_PATH}/bridge"], env=self.env("ADD", name), stdin=self.bridge, capture=True)
        portmap = json.dumps({
            "cniVersion": "1.0.0", "name": "bcni", "type": "portmap", "capabilities": {"portMappings": True},
            "runtimeConfig": {"portMappings": [{"hostPort": port, "containerPort": 80, "protocol": "tcp"}]},
            "prevResult": json.loads(result)})
        self.portmaps[name] = portmap
        return elapsed + took + ms([f"{CNI_PATH}/portmap"], env=self.env("ADD", name), stdin=portmap)

    def detach(self, name):
        return (ms([f"{CNI_PATH}/portmap"], env=self.env("DEL", name), stdin=self.portmaps.pop(name))
                + ms([f"{CNI_PATH}/bridge"], env=self.env("DEL", name), stdin=self.bridge)
                + ms(["ip", "netns", "del", name]))


class Netavark:
    name = "netavark"
    fill_lanes = 2

    def __init__(self, scratch):
        self.config = os.path.join(scratch, "netavark")
        os.makedirs(self.config)
        self.options = {}
        self.next = 0
        self.lock = threading.Lock()

    def attach(self, name, port):
        # Podman's part: it chooses the address and describes the network.
        with self.lock:
            index, self.next = self.next, self.next + 1
        options = json.dumps({
            "container_id": (name.encode().hex() + "0" * 64)[:64], "container_name": name,
            "port_mappings": [{"host_ip": "", "container_port": 80, "host_port": port, "range": 1, "protocol": "tcp"}],
            "networks": {"bnv": {"static_ips": [address("10.213", index)], "interface_name": "eth0"}},
            "network_info": {"bnv": {
                "name": "bnv", "id": "b" * 64, "driver": "bridge", "network_interface": "nvbr0",
                "subnets": [{"subnet": "10.213.0.0/16", "gateway": "10.213.0.1"}], "ipv6_enabled": False,
                "internal": False, "dns_enabled": False, "ipam_options": {"driver": "host-local"}}}})
        self.options[name] = options
        return ms(["ip", "netns", "add", name]) + ms([NETAVARK, "--config", self.config, "setup", f"/run/netns/{name}"],
                                                      stdin=options)

    def detach(self, name):
        return (ms([NETAVARK, "--config", self.config, "teardown", f"/run/netns/{name}"], stdin=self.options.pop(name))
                + ms(["ip", "netns", "del", name]))


class ShellFloor(Stepwise):
    name = "shell floor"

    def __init__(self):
        ms(["ip", "-batch", "-"], stdin="link add shbr0 type bridge\naddr add 10.214.0.1/16 dev shbr0\nlink set shbr0 up\n")
        ms(["iptables-restore", "--noflush"], stdin="*nat\n:SHELL - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j SHELL\n"
           "-A POSTROUTING -s 10.214.0.0/16 ! -o shbr0 -j MASQUERADE\nCOMMIT\n")
        self.rules = {}
        self.next = 0

    def attach_steps(self, name, port):
        ip = address("10.214", self.next)
        self.next += 1
        rule = f"SHELL -p tcp --dport {port} -j DNAT --to-destination {ip}:80"
        self.rules[name] = rule
        return [(["ip", "-batch", "-"], None, f"netns add {name}\nlink add v{name} type veth peer name eth0 netns {name}\n"
                 f"link set v{name} master shbr0 up\n"),
                (["ip", "-n", name, "-batch", "-"], None, f"addr add {ip}/16 dev eth0\nlink set eth0 up\nlink set lo up\n"
                 "route add default via 10.214.0.1\n"),
                (["iptables-restore", "--noflush"], None, f"*nat\n-A {rule}\nCOMMIT\n")]

    def detach_steps(self, name):
        return [(["ip", "-batch", "-"], None, f"netns del {name}\n"),
                (["iptables-restore", "--noflush"], None, f"*nat\n-D {self.rules.pop(name)}\nCOMMIT\n")]


class SwnetBatch:
    """Containers in one topology file: one `swnet up -f` attaches them all, one `down -f`
    detaches them and removes their network."""
    name = "swnet up/down -f"

    def __init__(self, swnet, scratch):
        self.swnet, self.env = swnet, dict(os.environ, SWNET_STATE_DIR=os.path.join(scratch, "state-batch"))
        self.file = os.path.join(scratch, "batch.json")

    def attach_all(self, count, first_port, _round):
        with open(self.file, "w") as out:
            json.dump({"name": "batch", "networks": {"bbatch": {"subnet": "10.215.0.0/16"}},
                       "sandboxes": {f"b{i}": {"networks": ["bbatch"], "publish": [f"{first_port + i}:80"]}
                                     for i in range(count)}}, out)
        return ms([self.swnet, "up", "-f", self.file], env=self.env)

    def detach_all(self):
        elapsed = ms([self.swnet, "down", "-f", self.file], env=self.env)
        leftovers = swnet_leftovers(self.env["SWNET_STATE_DIR"])
        if leftovers:
            sys.exit(f"swnet down left state behind: {leftovers[:5]}")
        return elapsed


class ShellFloorBatch:
    """Containers by hand, each tool called as few times as it allows; like a topology, the
    bridge and its rules come and go with them."""
    name = "shell floor, batched"
    nat = ("-A PREROUTING -m addrtype --dst-type LOCAL -j SHELLB\n"
           "-A POSTROUTING -s 10.216.0.0/16 ! -o shbr1 -j MASQUERADE\n")

    def __init__(self):
        self.names = []

    def attach_all(self, count, first_port, round_):
        # New names each round: the kernel is still destroying the last round's veths.
        self.names = [f"f{round_}b{i}" for i in range(count)]
        elapsed = ms(["ip", "-batch", "-"], stdin="link add shbr1 type bridge\naddr add 10.216.0.1/16 dev shbr1\n"
                     "link set shbr1 up\n" + "".join(
                         f"netns add {name}\nlink add v{name} type veth peer name eth0 netns {name}\n"
                         f"link set v{name} master shbr1 up\n" for name in self.names))
        for i, name in enumerate(self.names):
            elapsed += ms(["ip", "-n", name, "-batch", "-"], stdin=f"addr add {address('10.216', i)}/16 dev eth0\n"
                          "link set eth0 up\nlink set lo up\nroute add default via 10.216.0.1\n")
        rules = "".join(f"-A SHELLB -p tcp --dport {first_port + i} -j DNAT --to-destination {address('10.216', i)}:80\n"
                        for i in range(count))
        return elapsed + ms(["iptables-restore", "--noflush"], stdin="*nat\n:SHELLB - [0:0]\n" + self.nat + rules + "COMMIT\n")

    def detach_all(self):
        return (ms(["ip", "-batch", "-"], stdin="".join(f"netns del {name}\n" for name in self.names) + "link del shbr1\n")
                + ms(["iptables-restore", "--noflush"],
                     stdin="*nat\n" + self.nat.replace("-A ", "-D ") + "-F SHELLB\n-X SHELLB\nCOMMIT\n"))


def port_base(system_index):
    """Each system publishes its own range of host ports (hosts apart, but the numbers stay distinct)."""
    return 10000 + 10000 * system_index


def max_rss(argv, env):
    """The peak resident memory of one command, in MB, from /usr/bin/time -v."""
    result = subprocess.run(["/usr/bin/time", "-v", *argv], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    for line in result.stderr.splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    sys.exit(f"bench: no RSS from /usr/bin/time for {argv}: {result.stderr}")


CLONE_NEWNET = 0x40000000


def links_now():
    """The indexes of this network namespace's links (a netlink dump of them all)."""
    return {index for index, _ in socket.if_nameindex()}


def measured(step, args):
    """Runs an attach or detach: its milliseconds, and the major faults and 512-byte blocks
    read of the commands it ran."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = step(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_majflt - before.ru_majflt, after.ru_inblock - before.ru_inblock


def link_exists(index):
    """Whether the link with this index is still there (one ioctl, whatever the links)."""
    try:
        socket.if_indextoname(index)
        return True
    except OSError:
        return False


def wait_until_gone(links):
    """Waits until none of these links is left; returns the milliseconds waited."""
    start = time.perf_counter()
    while left := [index for index in links if link_exists(index)]:
        if time.perf_counter() - start > 10:
            raise RuntimeError(f"links {left} still there 10 s after a detach")
        time.sleep(0.0005)
    return (time.perf_counter() - start) * 1000


class Host:
    """One system on a host of its own: a worker process in a new network namespace, running
    the system's commands on request and answering with their timings."""

    def __init__(self, make_system, prefix, index):
        self.prefix, self.index = prefix, index
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=self.serve, args=(child, make_system), daemon=True)
        self.process.start()
        self.name, self.lanes = self.call("describe")

    def serve(self, connection, make_system):
        try:
            if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
            subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
            system = make_system()
            while True:
                method, args = connection.recv()
                if method == "describe":
                    connection.send(("ok", (system.name, getattr(system, "fill_lanes", 1))))
                elif method == "fill":
                    connection.send(("ok", self.fill(system, *args)))
                elif method == "settle":
                    connection.send(("ok", self.settle()))
                elif method == "attach":
                    links = links_now()
                    outcome = measured(system.attach, args)
                    self.attached_links = links_now() - links
                    connection.send(("ok", outcome))
                elif method == "detach":
                    connection.send(("ok", measured(system.detach, args)))
                else:
                    connection.send(("ok", getattr(system, method)(*args)))
        except (Exception, SystemExit) as error:
            connection.send(("error", str(error)))

    def settle(self):
        """Waits until the links the last attach made on this host are gone: the kernel removes
        a detached container's links after the command returns, when its namespace goes.
        Returns the milliseconds waited."""
        return wait_until_gone(self.attached_links)

    def fill(self, system, first, level, lanes):
        """Attaches containers `first` up to `level` on `lanes` threads; returns the CPU seconds
        its commands took."""
        failures = []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)

        def attach_every(start):
            try:
                for number in range(start, level, lanes):
                    system.attach(f"{self.prefix}{number}", port_base(self.index) + number)
            except (Exception, SystemExit) as error:
                failures.append(error)

        workers = [threading.Thread(target=attach_every, args=(first + k,)) for k in range(lanes)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if failures:
            raise failures[0]
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

    def start(self, method, *args):
        self.connection.send((method, args))

    def result(self):
        status, value = self.connection.recv()
        if status != "ok":
            sys.exit(f"bench: {self.name if hasattr(self, 'name') else 'a host'}: {value}")
        return value

    def call(self, method, *args):
        self.start(method, *args)
        return self.result()


def fill_side_by_side(hosts, first, level, chunk=10):
    """Fills every host's network from `first` up to `level` containers, all hosts at once, a
    chunk of containers per request; returns each system's CPU seconds.

    Each host fills on one thread while another host is still filling, and on its `lanes`
    once it is the last. Two threads on one host cost more CPU than one for the same containers
    (CNI filling to 300: 63 s against 53; netavark 31 against 29): each `iptables` call of the
    nft backend reads its table, and a call whose table another changed meanwhile reads it all
    again. On these 2 cores the fill to 1000 is bound by the peers' CPU, so it runs two peers
    on one thread each, then the slower on two."""
    next_number = {host.name: first for host in hosts}
    filling = {}  # connection -> host with a chunk under way
    cpu = {host.name: 0.0 for host in hosts}
    while True:
        for host in hosts:
            if host.connection in filling or next_number[host.name] >= level:
                continue
            alone = not any(other is not host and (other.connection in filling or next_number[other.name] < level)
                            for other in hosts)
            # A network's first attach makes its bridge and firewall chains, and two at once
            # race there (netavark's failed so in a run filling straight to 1000): its first
            # chunk goes on one thread.
            lanes = host.lanes if alone and next_number[host.name] > 0 else 1
            end = min(level, next_number[host.name] + chunk * lanes)
            host.start("fill", next_number[host.name], end, lanes)
            filling[host.connection] = host
            next_number[host.name] = end
        if not filling:
            return cpu
        for connection in multiprocessing.connection.wait(list(filling)):
            host = filling.pop(connection)
            cpu[host.name] += host.result()


def swnet_extras(system, rounds):
    """`ls` and `inspect` latency and max RSS, on the swnet short host with its network full."""
    swnet, env = system.swnet, system.env
    extra = {}
    for _ in range(rounds):
        extra.setdefault("network ls", []).append(ms([swnet, "network", "ls"], env=env))
        extra.setdefault("endpoint ls", []).append(ms([swnet, "endpoint", "ls"], env=env))
        extra.setdefault("network inspect", []).append(ms([swnet, "network", "inspect", system.network], env=env))
    ms([swnet, "sandbox", "create", "rss"], env=env)
    rss = {
        "swnet connect --publish": max_rss([swnet, "connect", system.network, "rss", "--publish", "9999:80"], env),
        "swnet network ls": max_rss([swnet, "network", "ls"], env),
        "swnet endpoint ls": max_rss([swnet, "endpoint", "ls"], env),
        "swnet version": max_rss([swnet, "version"], env),
    }
    ms([swnet, "sandbox", "rm", "rss"], env=env)
    return extra, rss


def swnet_teardown(system, prefix, present):
    """swnet removes its own containers and network, and must leave no state behind. The
    measured rounds ran each detach; here each of its commands removes all containers at once,
    where one process for each took 46 s of the run."""
    if present:
        run_steps(system.remove_all_steps([f"{prefix}{number}" for number in range(present)]))
    system.close()
    leftovers = swnet_leftovers(system.env["SWNET_STATE_DIR"])
    if leftovers:
        sys.exit(f"left state behind: {leftovers[:5]}")


def swnet_leftovers(state):
    """What a swnet state directory holds besides its lock, its journal, an intent log with no
    note pending and the spare files kept for new records."""
    log = os.path.join(state, "intents", "log")
    spare = os.path.join(state, "spare")

    def left(path):
        if path == log:
            with open(path) as text:
                return text.read() != "swnet-intents v1\n"
        return os.path.basename(path) not in ("lock", "journal") and os.path.dirname(path) != spare
    return [path for path in (os.path.join(d, f) for d, _, files in os.walk(state) for f in files) if left(path)]


def main():
    swnet = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else ROUNDS
    levels = [int(n) for n in sys.argv[sys.argv.index("--levels") + 1].split(",")] if "--levels" in sys.argv else LEVELS
    for tool in [f"{CNI_PATH}/bridge", f"{CNI_PATH}/portmap", NETAVARK, "/usr/bin/time"]:
        if not os.path.exists(tool):
            sys.exit(f"bench: {tool} is missing; 'make bench' installs it")
    scratch = tempfile.mkdtemp(prefix="swnet-bench-")
    started = time.time()
    as_after_boot(installed_executables(swnet))

    progress(started, "process start-up")
    # Process start-up, the cost every command pays.
    startup = {"/bin/true": [], "ip -V": [], "swnet version": []}
    for _ in range(40):
        startup["/bin/true"].append(ms(["/bin/true"]))
        startup["ip -V"].append(ms(["ip", "-V"]))
        startup["swnet version"].append(ms([swnet, "version"]))

    # Where each command's time goes, at N=1 on a host of their own, traced by the kernel; first,
    # while the machine holds no other container (thousands of namespaces mounted make `ip -n`
    # copy them all into a mount namespace of its own, and the fills page text out).
    progress(started, f"tracing {rounds} rounds at N=1")
    traced_scratch = os.path.join(scratch, "traced")
    os.makedirs(traced_scratch)
    tracing = Host(lambda: phases.Tracing([SwnetShort(swnet, traced_scratch), SwnetCNM(swnet, traced_scratch), ShellFloor()],
                                          links_now, wait_until_gone), "t", 7)
    traced = tracing.call("trace", swnet, rounds)
    tracing.call("close")

    progress(started, f"{BATCH} containers at once, {BATCH_ROUNDS} rounds")
    # Many containers at once, on two hosts empty besides.
    batch_hosts = [Host(lambda: SwnetBatch(swnet, scratch), "b", 5), Host(ShellFloorBatch, "fb", 6)]
    batch = {}  # (system, "attach"|"detach") -> [ms]
    for round_ in range(BATCH_ROUNDS):
        order = batch_hosts if round_ % 2 == 0 else batch_hosts[::-1]
        for host in order:
            batch.setdefault((host.name, "attach"), []).append(host.call("attach_all", BATCH, 30000, round_))
        for host in order:
            batch.setdefault((host.name, "detach"), []).append(host.call("detach_all"))

    makers = [("m", lambda: SwnetCNM(swnet, scratch)), ("s", lambda: SwnetShort(swnet, scratch)),
              ("o", lambda: SwnetOne(swnet, scratch)), ("c", lambda: CNI(scratch)), ("v", lambda: Netavark(scratch)),
              ("f", ShellFloor)]
    hosts = [Host(make, prefix, index) for index, (prefix, make) in enumerate(makers)]
    results = {}  # (system, level, "attach"|"detach") -> [ms]
    misses = {}  # (system, level, "attach"|"detach") -> [(major faults, 512-byte blocks read)]
    teardowns = {}  # (system, level) -> [ms the kernel took to remove a detached container's links]
    present = 0
    fill_seconds = {}
    fill_cpu = {host.name: 0.0 for host in hosts}  # CPU seconds of each system's commands, all fills
    for level in levels:
        # Fill every network up to `level` containers, each publishing its own port; the hosts
        # are independent, so they are filled side by side.
        progress(started, f"filling every network to {level}")
        filling = time.time()
        for name, seconds in fill_side_by_side(hosts, present, level).items():
            fill_cpu[name] += seconds
        # What the fill wrote would otherwise go to the disk while the next rounds run, slowing
        # whichever system syncs then (swnet's journal, not the shell floor, which never syncs).
        os.sync()
        fill_seconds[level] = time.time() - filling
        present = max(present, level)
        progress(started, f"{rounds} rounds at N={level}")
        # A fill leaves the fast systems idle for minutes while the peers fill, long enough for
        # these VMs' DAMON scheme to page their text out, and exec reads back what a command
        # needs in 4 KB pages: after the fill to 1000, 3,866 of swnet's 9,320 pages were left,
        # 2,212 of them in 2 MB folios, and a short attach faulted 551 times against 366 at N=1
        # (the peers' executables and libraries, in use all through the fill, stayed whole).
        # So each level starts with every executable as after a boot, as the run does (the
        # attach then faulted 457 times at 1000, the rest its network's larger name table).
        as_after_boot(installed_executables(swnet))
        # Then one round unmeasured: the first would time reading the rest back from a disk the
        # fill kept busy.
        for host in hosts:
            host.call("attach", f"{host.prefix}w{level}", port_base(host.index) + 4999)
            host.call("detach", f"{host.prefix}w{level}")
            host.call("settle")
        for round_ in range(rounds):
            # Each round starts with a different system, so that no system is always the one
            # running just after a fill or a host's idle moment.
            order = hosts[round_ % len(hosts):] + hosts[:round_ % len(hosts)]
            def record(host, kind, *args):
                elapsed, faults, blocks = host.call(kind, f"{host.prefix}p{round_}", *args)
                results.setdefault((host.name, level, kind), []).append(elapsed)
                misses.setdefault((host.name, level, kind), []).append((faults, blocks))

            for host in order:
                record(host, "attach", port_base(host.index) + 5000 + round_)
            for host in order:
                record(host, "detach")
                # Not measured: the kernel removes the container's links after the detach
                # returns, when its namespace goes, holding the lock that every netlink change
                # on every host needs. Waiting for it here keeps one system's teardown out of
                # the next system's timings; the table of teardowns reports what it took.
                teardowns.setdefault((host.name, level), []).append(host.call("settle"))
    progress(started, "ls and inspect with the networks full")
    extra, rss = hosts[1].call("extras", rounds)

    # swnet removes its own containers (and must leave nothing); the peers' go with their
    # namespaces, bridges and rules when the private host ends.
    progress(started, "swnet removing its containers")
    swnet_hosts = [host for host in hosts if host.name.startswith("swnet")]
    for host in swnet_hosts:
        host.start("teardown", host.prefix, present)
    for host in swnet_hosts:
        host.result()
    shutil.rmtree(scratch)
    elapsed = time.time() - started
    progress(started, "done")
    report(results, misses, teardowns, levels, rounds, startup, extra, rss, elapsed, fill_seconds, fill_cpu, batch, traced)


def system_table(title, text, columns):
    """A section's heading, its text and the head of its table of systems."""
    return [f"## {title}", "", text, "", "| system | " + " | ".join(columns) + " |", "| --- |" + " ---: |" * len(columns)]


def report(results, misses, teardowns, levels, rounds, startup, extra, rss, elapsed, fill_seconds, fill_cpu, batch, traced):
    floor = "shell floor"
    names = ["swnet CNM", "swnet short", SwnetOne.name, "CNI", "netavark", floor]
    fill_total = sum(fill_cpu.values())
    lines = [
        "# swnet benchmark results",
        "",
        f"`make bench` on {platform.node()}: {os.cpu_count()} cores, kernel {platform.release()}, "
        f"{platform.python_implementation()} {platform.python_version()} driving every command as a new process "
        f"(wall time from subprocess, process start included). {rounds} rounds per level after one unmeasured, the systems "
        f"interleaved in each round; medians and p90 in milliseconds. Each system runs on a host of its own (a network "
        f"namespace); after each detach the run waits, unmeasured, until the kernel has removed the links the "
        f"attach made, so that no system's commands run against another's teardown. Every system's executables start "
        f"the run and each level as installed ones are after a boot, read back from the disk by exec in 4 KB pages "
        f"(swnet's first command then re-reads its own code in 2 MB folios, as after a boot): a fill leaves the fast "
        f"systems idle for minutes, and these VMs page idle text out. The whole "
        f"run took {elapsed:.0f} s, of which filling the networks "
        + ", ".join(f"to {n}: {fill_seconds[n]:.0f} s" for n in levels) + ". "
        "The fills took the systems' own commands (user + system time, not counting the kernel's workers) "
        + ", ".join(f"{name}: {seconds:.0f} s" for name, seconds in fill_cpu.items())
        + f" of CPU, {fill_total:.0f} s in all: on {os.cpu_count()} cores they take no less than "
        f"{fill_total / os.cpu_count():.0f} s.",
        "",
        "Process start: " + ", ".join(f"`{name}` {median(values):.2f} ms" for name, values in startup.items()) + ".",
        "",
    ]
    for kind in ["attach", "detach"]:
        lines += [f"## {kind}", "",
                  "| system | " + " | ".join(f"N={n} median | p90" for n in levels) + " | slope µs/endpoint |",
                  "| --- |" + " ---: | ---: |" * len(levels) + " ---: |"]
        for name in names:
            cells = []
            for n in levels:
                values = results[(name, n, kind)]
                cells += [f"{median(values):.2f}", f"{p90(values):.2f}"]
            first, last = levels[0], levels[-1]
            slope = (median(results[(name, last, kind)]) - median(results[(name, first, kind)])) / max(1, last - first) * 1000
            lines.append(f"| {name} | " + " | ".join(cells) + f" | {slope:.1f} |")
        lines.append("")
    lines += system_table(
        "the kernel's teardown after a detach",
        "Not part of the detach times above: the milliseconds from a detach's return until the kernel had "
        "removed the links its attach made on the system's host (it does so when the container's namespace goes, "
        "holding the lock every netlink change needs). The next system's commands start after it.",
        [column for n in levels for column in [f"N={n} median", "p90"]])
    for name in names:
        lines.append(f"| {name} | " + " | ".join(
            f"{median(teardowns[(name, n)]):.2f} | {p90(teardowns[(name, n)]):.2f}" for n in levels) + " |")
    lines.append("")
    lines += system_table(
        "reads from the disk",
        "What each attach and detach had to read back because the page cache no longer held it: the mean per "
        "round of the commands' major page faults (their executables' text) and of the MB they read from the disk "
        "(text and files), from the kernel's accounting of the finished commands (getrusage).",
        [column for n in levels for column in [f"N={n} attach faults", "MB", "detach faults", "MB"]])
    for name in names:
        cells = []
        for n in levels:
            for kind in ["attach", "detach"]:
                counts = misses[(name, n, kind)]
                cells += [f"{statistics.mean(f for f, _ in counts):.1f}",
                          f"{statistics.mean(b for _, b in counts) * 512 / 1e6:.2f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines += ["## ratios (same run, medians)", "", "| ratio | " + " | ".join(f"N={n}" for n in levels) + " | target |",
              "| --- |" + " ---: |" * len(levels) + " --- |"]
    targets = [
        ("swnet short / shell floor, attach", "swnet short", floor, "attach", "<= 1.0"),
        ("swnet CNM / netavark, attach", "swnet CNM", "netavark", "attach", "<= 0.25"),
        ("swnet CNM / CNI, attach", "swnet CNM", "CNI", "attach", "<= 0.2"),
        ("swnet short / shell floor, detach", "swnet short", floor, "detach", "<= 0.25"),
        ("swnet CNM / shell floor, detach", "swnet CNM", floor, "detach", ""),
        ("swnet one command / shell floor, attach", SwnetOne.name, floor, "attach", ""),
        ("swnet short / netavark, attach", "swnet short", "netavark", "attach", ""),
        ("swnet short / CNI, attach", "swnet short", "CNI", "attach", ""),
    ]
    for label, a, b, kind, target in targets:
        lines.append(f"| {label} | " + " | ".join(
            f"{median(results[(a, n, kind)]) / median(results[(b, n, kind)]):.2f}" for n in levels) + f" | {target} |")
    lines += [""] + phases.report(traced, rounds)
    lines += [f"## with {levels[-1]} endpoints on a network", "",
              "| command | median | p90 |", "| --- | ---: | ---: |"]
    lines += [f"| swnet {name} | {median(values):.2f} | {p90(values):.2f} |" for name, values in extra.items()]
    lines += ["", "| max RSS (/usr/bin/time -v) | MB |", "| --- | ---: |"]
    lines += [f"| {name} | {value:.1f} |" for name, value in rss.items()]
    swnet_batch, floor_batch = SwnetBatch.name, ShellFloorBatch.name
    lines += ["", f"## {BATCH} containers at once", "",
              f"On two hosts empty besides, {BATCH_ROUNDS} rounds interleaved: one topology file for swnet; for the shell "
              f"floor one `ip -batch` for the bridge and every namespace, veth and bridge port, one `ip -n NAME -batch` per "
              f"namespace and one `iptables-restore` for every rule, and the bridge and its rules removed with the "
              f"containers, as `swnet down` removes the topology's network. Milliseconds for all {BATCH}, and per container.", "",
              "| system | attach median | p90 | per container | detach median | p90 | per container |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name in [swnet_batch, floor_batch]:
        cells = []
        for kind in ["attach", "detach"]:
            values = batch[(name, kind)]
            cells += [f"{median(values):.1f}", f"{p90(values):.1f}", f"{median(values) / BATCH:.2f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| ratio (medians) | attach | detach |", "| --- | ---: | ---: |",
              f"| {swnet_batch} / {floor_batch} | " + " | ".join(
                  f"{median(batch[(swnet_batch, kind)]) / median(batch[(floor_batch, kind)]):.2f}" for kind in ["attach", "detach"]) + " |",
              f"| {swnet_batch} per container / swnet short at N={levels[0]} | " + " | ".join(
                  f"{median(batch[(swnet_batch, kind)]) / BATCH / median(results[('swnet short', levels[0], kind)]):.2f}"
                  for kind in ["attach", "detach"]) + " |"]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md"), "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
