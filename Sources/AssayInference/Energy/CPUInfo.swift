import Foundation

/// What /proc/cpuinfo says about the CPU the estimate is for.
public struct CPUInfo: Sendable, Equatable {
    /// The first "model name" line, e.g. "AMD EPYC 7763 64-Core Processor".
    public let modelName: String?
    /// "cpu cores": physical cores per package, as the kernel sees them.
    public let coresPerPackage: Int?
    /// The "hypervisor" flag: inside a virtual machine the core count is the guest's, not the part's.
    public let underHypervisor: Bool

    public init(text: String) {
        func value(of key: String) -> String? {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        modelName = value(of: "model name").flatMap { $0.isEmpty ? nil : $0 }
        coresPerPackage = value(of: "cpu cores").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        underHypervisor = value(of: "flags")?.split(separator: " ").contains("hypervisor") ?? false
    }

    /// Reads `path`; a missing or unreadable file describes an unknown CPU.
    public init(path: String) {
        self.init(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }
}
