import AssayCore

/// Which meter a run uses: a named one, the best this machine offers, or none.
public enum EnergyMeterChoice: String, Sendable, CaseIterable {
    /// RAPL when the machine exposes package counters, else NVML when a GPU answers, else the estimate.
    case auto
    case rapl
    case nvml
    case estimate
    /// No meter: the run records no energy.
    case none

    /// Where each meter looks; tests point these at fixtures.
    public struct Environment: Sendable {
        public var powercapRoot = RAPLMeter.defaultRoot
        public var nvmlLibrary = NVMLMeter.defaultLibrary
        public var cpuinfoPath = "/proc/cpuinfo"
        public var wattsPerCore: Double?

        public init() {}
    }

    /// Makes the meter. A named meter that cannot work here is an error, never a silent fallback;
    /// `auto` falls back only from a meter that is absent, and a RAPL counter that exists but
    /// cannot be read (permission denied) is reported, not skipped.
    /// `none` makes no meter.
    public func makeMeter(environment: Environment = Environment()) throws -> (any EnergyMeter)? {
        switch self {
        case .none:
            return nil
        case .rapl:
            return try RAPLMeter(root: environment.powercapRoot)
        case .nvml:
            return try NVMLMeter(library: environment.nvmlLibrary)
        case .estimate:
            return try EstimatedEnergyMeter(wattsPerCore: environment.wattsPerCore, cpuinfoPath: environment.cpuinfoPath)
        case .auto:
            if try !RAPLMeter.packageDomains(under: environment.powercapRoot).isEmpty {
                return try RAPLMeter(root: environment.powercapRoot)
            }
            if let gpu = try? NVMLMeter(library: environment.nvmlLibrary) {
                return gpu
            }
            return try EstimatedEnergyMeter(wattsPerCore: environment.wattsPerCore, cpuinfoPath: environment.cpuinfoPath)
        }
    }
}
