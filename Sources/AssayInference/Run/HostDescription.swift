import Foundation

/// The machine a run ran on, as stored in `run.host`: CPU model, cores and operating system.
public enum HostDescription {
    public static func current(cpuinfoPath: String = "/proc/cpuinfo") -> String {
        let cpu =
            (try? String(contentsOfFile: cpuinfoPath, encoding: .utf8))?
            .split(separator: "\n")
            .first { $0.hasPrefix("model name") }
            .flatMap { line in line.firstIndex(of: ":").map { line[line.index(after: $0)...].trimmingCharacters(in: .whitespaces) } }
            ?? "unknown CPU"
        let info = ProcessInfo.processInfo
        return "\(cpu); \(info.activeProcessorCount) cores; \(info.operatingSystemVersionString); \(info.hostName)"
    }
}
