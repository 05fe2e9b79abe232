import AssayCore
import AssaySupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Estimates energy where nothing can be measured, after the Green Algorithms model
/// (Lannelongue, Grealey and Inouye, "Green Algorithms", Advanced Science 2021):
///
///     joules = CPU seconds (user + system) x watts per core
///            + resident GiB x 0.3725 W/GiB x wall seconds
///
/// The CPU seconds and memory are those of whatever runs the model (`cpuTime`): this process for
/// the embedded engine, a local server's processes, or the whole machine.
///
/// Every constant is returned with the figure, and the method is labelled "estimated".
public struct EstimatedEnergyMeter: EnergyMeter {
    /// Green Algorithms' memory power: 0.3725 W per GB of memory in use.
    public static let memoryWattsPerGiB = 0.3725

    public let method = EnergyMethod.estimate
    public let wattsPerCore: Double
    /// Where `wattsPerCore` comes from, for the provenance sentence.
    public let wattsPerCoreSource: String
    /// Whose CPU time is counted: this process unless the model runs in a server on this machine.
    public var cpuTime: CPUTimeSource = .thisProcess

    /// `wattsPerCore` overrides the table; otherwise the CPU model from `cpuinfoPath` picks it
    /// (see `CPUPowerTable.wattsPerCore(for:)`), and a CPU the table cannot price gets
    /// `CPUPowerTable.defaultWattsPerCore`, saying so.
    public init(wattsPerCore override: Double? = nil, cpuinfoPath: String = "/proc/cpuinfo") throws {
        if let override {
            guard override.isFinite, override > 0 else {
                throw AssayError("watts per core must be a positive number (got \(override)); a server core draws about 3-10 W")
            }
            wattsPerCore = override
            wattsPerCoreSource = "given on the command line"
            return
        }
        (wattsPerCore, wattsPerCoreSource) = CPUPowerTable.wattsPerCore(for: CPUInfo(path: cpuinfoPath))
    }

    public func start() throws -> EnergyMeasurementInProgress {
        let startedAt = ContinuousClock.now
        let source = cpuTime
        let before = source.read()
        let clientBefore = ProcessStat.ownCPUSeconds()
        let wattsPerCore = self.wattsPerCore
        let wattsSource = self.wattsPerCoreSource
        return EnergyMeasurementInProgress {
            let cpuSeconds = CPUTimeSource.seconds(from: before, to: source.read())
            let clientSeconds = ProcessStat.ownCPUSeconds() - clientBefore
            let residentGiB = source.residentGiB()
            let wallSeconds = (ContinuousClock.now - startedAt).secondsValue
            let cpuJoules = cpuSeconds * wattsPerCore
            let memoryJoules = residentGiB * Self.memoryWattsPerGiB * wallSeconds
            let coverage = source.coverage()
            return EnergyMeasurement(
                joules: cpuJoules + memoryJoules,
                durationSeconds: wallSeconds,
                method: .estimate,
                constants: [
                    "cpu_seconds": cpuSeconds,
                    "cpu_watts_per_core": wattsPerCore,
                    "resident_gib": residentGiB,
                    "memory_watts_per_gib": Self.memoryWattsPerGiB,
                    "wall_seconds": wallSeconds,
                    "client_cpu_seconds": clientSeconds,
                ],
                provenance:
                    "estimated: CPU time of \(coverage) x \(formatFixed(wattsPerCore, decimals: 2)) W/core (\(wattsSource)) + resident memory x \(Self.memoryWattsPerGiB) W/GiB x wall time (Green Algorithms, Lannelongue et al. 2021)",
                notes: [
                    "cpu_time_of": coverage, "cpu_time_method": source.method,
                    "client_cpu_time_method": "/proc/self/stat utime + stime of assay, beside the figure (not added to it)",
                ]
            )
        }
    }

    /// This process's CPU seconds (user + system) and peak resident set, in GiB.
    static func processUsage() -> (cpuSeconds: Double, peakResidentGiB: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        // Linux reports ru_maxrss in KiB.
        return (seconds(usage.ru_utime) + seconds(usage.ru_stime), Double(usage.ru_maxrss) / (1024 * 1024))
    }
}
