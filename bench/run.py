#!/usr/bin/env python3
"""swnet's benchmark: process start-up, and attaching/detaching a container to a bridge network,
side by side with the shell floor (hand-typed `ip` commands and `ip -batch`), interleaved in one
run so the ratios hold on a noisy machine.

Run by `make bench` inside scripts/private-host. Writes bench/RESULTS.md.

    python3 bench/run.py SWNET_BINARY [--rounds N]
"""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROUNDS = 40
# A Linux bridge holds at most 1024 ports; this many published endpoints leave room to measure.
PUBLISHED = 950


def spawn(argv, env=None, stdin=None):
    """Runs one command, returns its wall time in milliseconds; fails loudly on error."""
    start = time.perf_counter()
    result = subprocess.run(argv, env=env, input=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {result.stderr.strip()}")
    return elapsed


def median(values):
    return statistics.median(values)


def p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def main():
    swnet = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else ROUNDS
    state = tempfile.mkdtemp(prefix="swnet-bench-")
    env = dict(os.environ, SWNET_STATE_DIR=state)

    def sw(*args):
        return spawn([swnet, *args], env=env)

    results = {name: [] for name in [
        "true", "swnet version", "ip -V",
        "swnet attach", "swnet sandbox create", "swnet endpoint create", "swnet join",
        "swnet connect path", "ip attach", "ip -batch attach",
        "swnet detach", "ip detach", "ip -batch detach"]}

    sw("network", "create", "bench", "--subnet", "10.201.0.0/16")
    spawn(["ip", "link", "add", "ipbr", "type", "bridge"])
    spawn(["ip", "addr", "add", "10.202.0.1/16", "dev", "ipbr"])
    spawn(["ip", "link", "set", "ipbr", "up"])

    for i in range(rounds):
        results["true"].append(spawn(["/bin/true"]))
        results["swnet version"].append(sw("version"))
        results["ip -V"].append(spawn(["ip", "-V"]))

        # swnet, the CNM path: three commands.
        a = sw("sandbox", "create", f"c{i}")
        b = sw("endpoint", "create", "--network", "bench", f"e{i}")
        c = sw("join", f"e{i}", f"c{i}")
        results["swnet sandbox create"].append(a)
        results["swnet endpoint create"].append(b)
        results["swnet join"].append(c)
        results["swnet attach"].append(a + b + c)

        # swnet, the short path: sandbox create + connect.
        results["swnet connect path"].append(sw("sandbox", "create", f"k{i}") + sw("connect", "bench", f"k{i}"))

        # The shell floor: what an admin would type, one ip process per step.
        address = f"10.202.{1 + i // 250}.{1 + i % 250}"
        ns, veth = f"ipns{i}", f"ipv{i}"
        results["ip attach"].append(sum([
            spawn(["ip", "netns", "add", ns]),
            spawn(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns]),
            spawn(["ip", "link", "set", veth, "master", "ipbr", "up"]),
            spawn(["ip", "-n", ns, "addr", "add", f"{address}/16", "dev", "eth0"]),
            spawn(["ip", "-n", ns, "link", "set", "eth0", "up"]),
            spawn(["ip", "-n", ns, "link", "set", "lo", "up"]),
            spawn(["ip", "-n", ns, "route", "add", "default", "via", "10.202.0.1"]),
        ]))
        bns, bveth = f"ipbns{i}", f"ipbv{i}"
        baddress = f"10.202.{100 + i // 250}.{1 + i % 250}"
        results["ip -batch attach"].append(
            spawn(["ip", "-batch", "-"], stdin=f"netns add {bns}\n"
                  f"link add {bveth} type veth peer name eth0 netns {bns}\n"
                  f"link set {bveth} master ipbr up\n")
            + spawn(["ip", "-n", bns, "-batch", "-"], stdin=f"addr add {baddress}/16 dev eth0\n"
                    "link set eth0 up\nlink set lo up\nroute add default via 10.202.0.1\n"))

    for i in range(rounds):
        results["swnet detach"].append(sw("sandbox", "rm", f"c{i}") + sw("endpoint", "rm", f"e{i}"))
        sw("sandbox", "rm", f"k{i}")
        results["ip detach"].append(spawn(["ip", "netns", "del", f"ipns{i}"]))
        results["ip -batch detach"].append(spawn(["ip", "-batch", "-"], stdin=f"netns del ipbns{i}\n"))

    sw("network", "rm", "bench")
    spawn(["ip", "link", "del", "ipbr"])

    # `connect --publish` with none versus PUBLISHED ports already published (target: <= 1.5x).
    published = int(sys.argv[sys.argv.index("--published") + 1]) if "--published" in sys.argv else PUBLISHED
    sw("network", "create", "ports", "--subnet", "10.203.0.0/16")

    def connect_publish(tag, count, first_port):
        times = []
        for i in range(count):
            sw("sandbox", "create", f"{tag}{i}")
            times.append(sw("connect", "ports", f"{tag}{i}", "--publish", f"{first_port + i}:80"))
        return times

    # Let the kernel finish destroying the namespaces of the first phase (it does so in the
    # background, holding the lock every netlink request needs) before timing this one.
    time.sleep(5)
    empty = connect_publish("p", 20, 30000)
    connect_publish("f", published, 20000)
    full = connect_publish("q", 20, 31000)
    for tag, count in [("p", 20), ("f", published), ("q", 20)]:
        for i in range(count):
            sw("sandbox", "rm", f"{tag}{i}")
    sw("network", "rm", "ports")
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(state) for f in files if f != "lock"]
    if leftovers:
        sys.exit(f"bench: left state behind: {leftovers}")
    shutil.rmtree(state)

    lines = [
        "# swnet benchmark results",
        "",
        f"`make bench` on {platform.node()}: {os.cpu_count()} cores, kernel {platform.release()}, "
        f"{rounds} rounds, interleaved, medians and p90 in milliseconds of wall time per operation "
        "(process start included), measured from Python's subprocess.",
        "",
        "| operation | median | p90 | ratio to `ip -batch` |",
        "| --- | ---: | ---: | ---: |",
    ]
    floor = {"attach": median(results["ip -batch attach"]), "detach": median(results["ip -batch detach"])}
    for name, values in results.items():
        kind = "attach" if "attach" in name or "connect" in name else "detach" if "detach" in name else None
        ratio = f"{median(values) / floor[kind]:.2f}" if kind else ""
        lines.append(f"| {name} | {median(values):.2f} | {p90(values):.2f} | {ratio} |")
    lines += [
        "",
        f"`connect --publish`: median {median(empty):.2f} ms with no port published, "
        f"{median(full):.2f} ms with {published} published on the same bridge: "
        f"ratio {median(full) / median(empty):.2f} (target <= 1.5).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md"), "w") as out:
        out.write(text)


if __name__ == "__main__":
    main()
