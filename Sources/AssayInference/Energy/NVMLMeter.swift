import AssayCore
import AssaySupport

/// Measures GPU energy as the difference of each GPU's cumulative energy counter (NVML,
/// millijoules; Volta and newer), summed over every GPU NVML sees.
public struct NVMLMeter: EnergyMeter {
    public static let defaultLibrary = "libnvidia-ml.so.1"

    public let method = EnergyMethod.nvml
    public let deviceCount: UInt32
    private let library: NVMLLibrary

    /// Loads the library and reads every counter once; no library, no GPU, or no energy counter
    /// fails here with the reason.
    public init(library path: String = defaultLibrary) throws {
        library = try NVMLLibrary(path: path)
        deviceCount = try library.deviceCount()
        guard deviceCount > 0 else {
            throw AssayError("NVML: no NVIDIA GPU found; choose --energy rapl or estimate")
        }
        _ = try readAll()
    }

    public func start() throws -> EnergyMeasurementInProgress {
        let startedAt = ContinuousClock.now
        let before = try readAll()
        return EnergyMeasurementInProgress { [self] in
            let after = try readAll()
            let duration = ContinuousClock.now - startedAt
            // The counters only grow while the driver stays loaded; a smaller value means it reloaded.
            let millijoules = zip(before, after).reduce(UInt64(0)) { $0 + ($1.1 >= $1.0 ? $1.1 - $1.0 : 0) }
            return EnergyMeasurement(
                joules: Double(millijoules) / 1000,
                durationSeconds: duration.secondsValue,
                method: .nvml,
                constants: ["gpus": Double(deviceCount)],
                provenance: "NVML nvmlDeviceGetTotalEnergyConsumption differences over \(deviceCount) GPU(s), via \(library.path)"
            )
        }
    }

    private func readAll() throws -> [UInt64] {
        try (0..<deviceCount).map { try library.totalEnergyMillijoules(device: $0) }
    }
}
