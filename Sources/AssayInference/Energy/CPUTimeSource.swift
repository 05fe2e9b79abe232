import AssayCore
import AssaySupport
import Foundation

/// Whose CPU time the estimate meter counts: this process (the embedded engine), the processes
/// of a server on this machine, or, when those cannot be found, the whole machine.
public enum CPUTimeSource: Sendable, Equatable {
    case thisProcess
    /// The server's root processes (found from its listening port or given with --server-pid) and
    /// their descendants, looked up again at every reading (Ollama starts a runner per model).
    case serverProcesses(roots: [Int32], foundBy: String)
    /// Busy time of every CPU (/proc/stat), with the reason no server process could be named.
    case machine(reason: String)

    /// The server's processes: `pid` when given, else whoever listens on `port`; the whole machine
    /// when neither names a running process.
    public static func server(port: Int?, pid: Int32?, procRoot: String = "/proc") throws -> CPUTimeSource {
        if let pid {
            guard ProcessStat.read(pid: pid, procRoot: procRoot) != nil else {
                throw AssayError("--server-pid \(pid): no such process; give the pid of the running server (pgrep -f llama)")
            }
            return .serverProcesses(roots: [pid], foundBy: "given with --server-pid")
        }
        guard let port else { return .machine(reason: "the server URL names no port") }
        let roots = ListeningSockets.pids(listeningOn: port, procRoot: procRoot)
        if roots.isEmpty {
            return .machine(
                reason:
                    "no process of this user was found listening on port \(port) (/proc/net/tcp, /proc/PID/fd); give --server-pid PID to name it"
            )
        }
        return .serverProcesses(roots: roots, foundBy: "listening on port \(port)")
    }

    /// A reading: CPU seconds so far of what this source covers, per process where it covers processes.
    public struct Reading: Sendable {
        let cpuSeconds: [Int32: Double]
        var total: Double { cpuSeconds.values.reduce(0, +) }
    }

    /// Reads the CPU time so far.
    public func read(procRoot: String = "/proc") -> Reading {
        switch self {
        case .thisProcess:
            return Reading(cpuSeconds: [getpid(): EstimatedEnergyMeter.processUsage().cpuSeconds])
        case .serverProcesses(let roots, _):
            return Reading(cpuSeconds: Self.tree(of: roots, procRoot: procRoot).mapValues(\.cpuSeconds))
        case .machine:
            return Reading(cpuSeconds: [0: Self.machineBusySeconds(procRoot: procRoot)])
        }
    }

    /// CPU seconds spent between two readings: processes that started in between count whole,
    /// processes that ended in between count nothing after `before`.
    public static func seconds(from before: Reading, to after: Reading) -> Double {
        after.cpuSeconds.reduce(0) { sum, entry in sum + max(0, entry.value - (before.cpuSeconds[entry.key] ?? 0)) }
    }

    /// Resident memory (GiB) of what this source covers, at this moment; this process's peak for `.thisProcess`.
    func residentGiB(procRoot: String = "/proc") -> Double {
        switch self {
        case .thisProcess:
            return EstimatedEnergyMeter.processUsage().peakResidentGiB
        case .serverProcesses(let roots, _):
            return Self.tree(of: roots, procRoot: procRoot).keys.reduce(0) { $0 + ProcessStat.residentGiB(pid: $1, procRoot: procRoot) }
        case .machine:
            return Self.machineMemoryInUseGiB(procRoot: procRoot)
        }
    }

    /// Which processes the figure covers, in words, for the stored notes.
    public func coverage(procRoot: String = "/proc") -> String {
        switch self {
        case .thisProcess:
            return "this process (assay, pid \(getpid()))"
        case .serverProcesses(let roots, let foundBy):
            let tree = Self.tree(of: roots, procRoot: procRoot)
            let named = tree.keys.sorted().map { "pid \($0) (\(tree[$0]?.name ?? "?"))" }
            return "the server's processes, \(foundBy): \(named.joined(separator: ", "))"
        case .machine(let reason):
            return "the whole machine (every process), because \(reason)"
        }
    }

    /// How the CPU time was read, for the stored notes.
    var method: String {
        switch self {
        case .thisProcess: "getrusage(RUSAGE_SELF) user + system time"
        case .serverProcesses: "/proc/PID/stat utime + stime of each server process and its descendants"
        case .machine: "/proc/stat busy time (user + nice + system + irq + softirq + steal) of all CPUs"
        }
    }

    /// `roots` and every process descended from them, as running now.
    static func tree(of roots: [Int32], procRoot: String) -> [Int32: ProcessStat] {
        let all = ProcessStat.all(procRoot: procRoot)
        var members: [Int32: ProcessStat] = [:]
        var frontier = roots.filter { all[$0] != nil }
        for root in frontier { members[root] = all[root] }
        let children = Dictionary(grouping: all.values, by: \.parentPID)
        while let pid = frontier.popLast() {
            for child in children[pid] ?? [] where members[child.pid] == nil {
                members[child.pid] = child
                frontier.append(child.pid)
            }
        }
        return members
    }

    /// The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...", in ticks.
    static func machineBusySeconds(procRoot: String) -> Double {
        guard let text = try? String(contentsOfFile: "\(procRoot)/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 8 else { return 0 }
        let busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
        return busy / ProcessStat.ticksPerSecond
    }

    /// MemTotal - MemAvailable from /proc/meminfo, in GiB.
    static func machineMemoryInUseGiB(procRoot: String) -> Double {
        guard let text = try? String(contentsOfFile: "\(procRoot)/meminfo", encoding: .utf8) else { return 0 }
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2 { values[String(parts[0].dropLast())] = Double(parts[1]) }
        }
        guard let total = values["MemTotal"], let available = values["MemAvailable"] else { return 0 }
        return (total - available) / (1024 * 1024)
    }
}
