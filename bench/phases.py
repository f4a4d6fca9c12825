"""Where an attach's and a detach's milliseconds go, command by command, for swnet and the shell
floor at N=1: the kernel's trace of every process the bench starts (perf: when it was exec'd and
when it called exit_group) and, in swnet, uprobes where `main` starts, where the command line is
parsed and where the state's commit starts and returns. The probes are added for the trace only
and removed after it; a machine without perf or uprobes gets a line saying so instead."""
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

GROUP = "swnetbench"
# Event -> (the function's mangled name, as a pattern; whether the probe is at its return).
PROBES = {
    "main": (r"5swnet5SwnetV4mainyyFZ$", False),
    "parsed": (r"5swnet5SwnetV16parseCommandLine\w*FZ$", True),
    "commit": (r"9SwnetCore11TransactionC6commit7through\w*KF$", False),
    "committed": (r"9SwnetCore11TransactionC6commit7through\w*KF$", True),
}
EVENT = re.compile(r"^\s*(\d+)\s+(\d+\.\d+):\s+(\S+):")


class Unavailable(Exception):
    """Why this machine cannot trace: no perf, no uprobes, a symbol missing."""


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def perf(*args):
    result = subprocess.run(["perf", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        said = result.stderr.strip().splitlines()
        raise Unavailable(f"perf {args[0]}: {said[-1] if said else f'exit status {result.returncode}'}")
    return result.stdout


def file_offset(binary, address):
    """The offset in `binary` of the byte mapped at `address` (uprobes are placed by offset)."""
    headers = subprocess.run(["readelf", "-lW", binary], stdout=subprocess.PIPE, text=True, check=True).stdout
    for line in headers.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, start, size = int(fields[1], 16), int(fields[2], 16), int(fields[4], 16)
            if start <= address < start + size:
                return address - start + offset
    raise Unavailable(f"no segment of {binary} maps {address:#x}")


def add_probes(swnet):
    if shutil.which("perf") is None:
        raise Unavailable("perf is not installed")
    symbols = subprocess.run(["nm", swnet], stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines()
    remove_probes()
    functions = [fields for fields in map(str.split, symbols) if len(fields) == 3 and fields[1] in ("t", "T")]
    for event, (pattern, at_return) in PROBES.items():
        found = [address for address, _, name in functions if re.search(pattern, name)]
        if len(found) != 1:
            raise Unavailable(f"{len(found)} functions of swnet's match {pattern}")
        offset = file_offset(swnet, int(found[0], 16))
        perf("probe", "-q", "-x", swnet, "-a", f"{GROUP}:{event}={offset:#x}{'%return' if at_return else ''}")


def remove_probes():
    subprocess.run(["perf", "probe", "-q", "-d", f"{GROUP}:*"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def label(argv):
    """A command's name in the tables: swnet's verb, or the tool and its options."""
    tool = os.path.basename(argv[0])
    if tool == "swnet":
        return "swnet " + " ".join(argv[1:3] if argv[1] in ("sandbox", "endpoint") else argv[1:2])
    return " ".join([tool] + [word for word in argv[1:] if word.startswith("-") and word != "-"])


class Tracing:
    """Attaches and detaches one container at a time with each system given, on the host the
    bench gives it (otherwise empty), while perf traces every process."""
    name = "where the time goes"

    def __init__(self, systems, links_now, wait_until_gone):
        self.systems, self.links_now, self.wait_until_gone = systems, links_now, wait_until_gone

    def trace(self, swnet, rounds):
        """{(system, kind, command label): [phases of each run, in ms]}, or why there are none."""
        scratch = tempfile.mkdtemp(prefix="swnet-bench-perf-")
        recorder = None
        try:
            add_probes(swnet)
            events = ["-e", "sched:sched_process_exec", "-e", "syscalls:sys_enter_exit_group", "-e", f"{GROUP}:*"]
            recorder = subprocess.Popen(
                ["perf", "record", "-q", "-a", "-k", "CLOCK_MONOTONIC", *events, "-o", f"{scratch}/perf.data"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            # perf takes a moment to arm its events; a process started before would go unseen.
            time.sleep(1)
            if recorder.poll() is not None:
                raise Unavailable(f"perf record: {recorder.stderr.read().strip()}")
            runs = []  # (system, kind, command label, pid, spawned, reaped)
            for round_ in range(rounds):
                for system in self.systems[round_ % len(self.systems):] + self.systems[:round_ % len(self.systems)]:
                    name, links = f"t{round_}", self.links_now()
                    runs += self.run(system.name, "attach", system.attach_steps(name, 5000 + round_))
                    added = self.links_now() - links
                    runs += self.run(system.name, "detach", system.detach_steps(name))
                    self.wait_until_gone(added)
            # perf writes its data out and then ends as the signal would have it.
            recorder.send_signal(signal.SIGINT)
            if recorder.wait() not in (0, -signal.SIGINT):
                raise Unavailable(f"perf record: {recorder.stderr.read().strip()}")
            return split_runs(runs, parse_trace(perf("script", "-i", f"{scratch}/perf.data", "-F", "pid,time,event", "--ns")))
        except Unavailable as reason:
            return str(reason)
        finally:
            if recorder is not None and recorder.poll() is None:
                recorder.kill()
            remove_probes()
            shutil.rmtree(scratch)

    @staticmethod
    def run(system, kind, steps):
        runs = []
        for argv, env, stdin in steps:
            spawned = now_ns()
            process = subprocess.Popen(argv, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
            _, errors = process.communicate(stdin)
            reaped = now_ns()
            if process.returncode != 0:
                raise RuntimeError(f"{' '.join(argv)} failed: {errors.strip()}")
            runs.append((system, kind, label(argv), process.pid, spawned, reaped))
        return runs

    def close(self):
        for system in self.systems:
            if hasattr(system, "teardown"):
                system.teardown("t", 0)


def parse_trace(text):
    """{pid: {event: [ns, ...]}} from `perf script -F pid,time,event --ns`."""
    trace = {}
    for line in text.splitlines():
        match = EVENT.match(line)
        if match:
            pid, seconds, event = int(match[1]), match[2], match[3].split(":")[-1]
            whole, fraction = seconds.split(".")
            trace.setdefault(pid, {}).setdefault(event, []).append(int(whole) * 10**9 + int(fraction.ljust(9, "0")))
    return trace


def split_runs(runs, trace):
    """Each run's milliseconds: in all, to its exec (fork and exec), running, and from its exit
    until the bench had reaped it; for swnet, running split at the probes."""
    split = {}
    for system, kind, name, pid, spawned, reaped in runs:
        seen = trace.get(pid, {})
        if "sched_process_exec" not in seen or "sys_enter_exit_group" not in seen:
            raise Unavailable(f"perf saw no exec or exit of {name} (pid {pid})")
        execed, exited = seen["sched_process_exec"][0], seen["sys_enter_exit_group"][-1]
        times = {"wall": reaped - spawned, "fork and exec": execed - spawned, "running": exited - execed,
                 "exit to reaped": reaped - exited}
        if "main" in seen and "parsed__return" in seen:
            main, parsed = seen["main"][0], seen["parsed__return"][0]
            commit, committed = seen.get("commit", [exited])[0], seen.get("committed__return", [exited])[-1]
            times.update({"start": main - execed, "parse": parsed - main, "work": commit - parsed,
                          "commit": committed - commit, "finish": exited - committed})
        split.setdefault((system, kind, name), []).append({key: value / 1e6 for key, value in times.items()})
    return split


def report(traced, rounds):
    """The section of RESULTS.md."""
    lines = ["## where the time goes (N=1)", ""]
    if isinstance(traced, str):
        return lines + [f"Not traced on this machine: {traced}.", ""]
    columns = ["wall", "fork and exec", "running", "exit to reaped", "start", "parse", "work", "commit", "finish"]
    lines += [
        f"swnet's short and CNM paths and the shell floor, {rounds} rounds interleaved on a host of their own before "
        "the levels, when the machine holds no other container, traced by the kernel (perf): each command's process "
        "from the bench's fork to its exec, running until it called exit_group, and from there until the bench had reaped it. In swnet, uprobes split "
        "the running: the start until `main` (the C library's and the Swift runtime's), parsing the command line "
        "(a plain line of the attach and detach commands by swnet itself, any other by swift-argument-parser), the work until the state's commit, the commit (the journal written and synced, "
        "then the files), and what follows it. Medians in ms; the second table adds up each step's commands. Tracing "
        "costs each command a little, and these rounds are not the ones the tables above report.", "",
        "| system | step | command | " + " | ".join(columns) + " |", "| --- | --- | --- |" + " ---: |" * len(columns)]
    def cells(values):
        return " | ".join(f"{values[column]:.2f}" if column in values else "" for column in columns)

    totals = {}
    for (system, kind, name), runs in traced.items():
        medians = {column: statistics.median(run[column] for run in runs) for column in columns if column in runs[0]}
        lines.append(f"| {system} | {kind} | {name} | {cells(medians)} |")
        step = totals.setdefault((system, kind), {})
        for column, value in medians.items():
            step[column] = step.get(column, 0.0) + value
    lines += ["", "| system | step | " + " | ".join(columns) + " |", "| --- | --- |" + " ---: |" * len(columns)]
    lines += [f"| {system} | {kind}, all commands | {cells(sums)} |" for (system, kind), sums in totals.items()]
    return lines + [""]
