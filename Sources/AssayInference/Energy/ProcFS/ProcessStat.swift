import AssayCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One process's line of /proc/PID/stat: its name, parent and CPU time so far.
public struct ProcessStat: Sendable, Equatable {
    public let pid: Int32
    public let name: String
    public let parentPID: Int32
    /// User plus system time, in seconds (clock ticks / `sysconf(_SC_CLK_TCK)`).
    public let cpuSeconds: Double

    /// Clock ticks per second, the unit of /proc's CPU times.
    public static let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// Parses a stat line: "PID (NAME) STATE PPID ...", where NAME may itself hold spaces and parentheses.
    public init?(line: String) {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"),
            let pid = Int32(line[..<open].trimmingCharacters(in: .whitespaces))
        else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        // After the name: state(0) ppid(1) ... utime(11) stime(12).
        guard fields.count > 12, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        self.pid = pid
        name = String(line[line.index(after: open)..<close])
        parentPID = parent
        cpuSeconds = (user + system) / Self.ticksPerSecond
    }

    /// The process's current figures, or nil when it has exited.
    public static func read(pid: Int32, procRoot: String = "/proc") -> ProcessStat? {
        guard let text = try? String(contentsOfFile: "\(procRoot)/\(pid)/stat", encoding: .utf8) else { return nil }
        return ProcessStat(line: text)
    }

    /// This process's CPU seconds as /proc/self/stat counts them.
    public static func ownCPUSeconds() -> Double {
        read(pid: getpid())?.cpuSeconds ?? 0
    }

    /// Every process now running, by pid.
    public static func all(procRoot: String = "/proc") -> [Int32: ProcessStat] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
        var result: [Int32: ProcessStat] = [:]
        for name in names {
            guard let pid = Int32(name), let stat = read(pid: pid, procRoot: procRoot) else { continue }
            result[pid] = stat
        }
        return result
    }

    /// Resident memory in GiB, from /proc/PID/status (VmRSS, in kB); 0 when unknown.
    public static func residentGiB(pid: Int32, procRoot: String = "/proc") -> Double {
        guard let text = try? String(contentsOfFile: "\(procRoot)/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return kilobytes / (1024 * 1024)
        }
        return 0
    }
}
