import AssayCore
import AssaySupport

#if canImport(Glibc)
    import Glibc
#endif

/// NVIDIA's management library, opened at run time so that Assay builds and runs on machines
/// without it. Holds the handful of entry points the energy meter needs; immutable once opened.
final class NVMLLibrary: Sendable {
    typealias Status = Int32
    private typealias InitFunction = @convention(c) () -> Status
    private typealias CountFunction = @convention(c) (UnsafeMutablePointer<UInt32>) -> Status
    private typealias HandleFunction = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>) -> Status
    private typealias EnergyFunction = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>) -> Status
    private typealias ErrorStringFunction = @convention(c) (Status) -> UnsafePointer<CChar>?

    static let success: Status = 0
    let path: String
    private let getCount: CountFunction
    private let getHandle: HandleFunction
    private let getEnergy: EnergyFunction
    private let errorString: ErrorStringFunction

    /// Opens `path` (a name dlopen searches for, or a file) and initialises NVML.
    init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw AssayError(
                "NVML unavailable: cannot load \(path) (\(reason)); install the NVIDIA driver or choose --energy rapl or estimate")
        }
        func symbol<Function>(_ name: String, as type: Function.Type) throws -> Function {
            guard let address = dlsym(handle, name) else {
                throw AssayError(
                    "NVML unavailable: \(path) lacks \(name) (driver too old for energy counters); choose --energy rapl or estimate")
            }
            return unsafeBitCast(address, to: type)
        }
        let initialise = try symbol("nvmlInit_v2", as: InitFunction.self)
        getCount = try symbol("nvmlDeviceGetCount_v2", as: CountFunction.self)
        getHandle = try symbol("nvmlDeviceGetHandleByIndex_v2", as: HandleFunction.self)
        getEnergy = try symbol("nvmlDeviceGetTotalEnergyConsumption", as: EnergyFunction.self)
        errorString = try symbol("nvmlErrorString", as: ErrorStringFunction.self)
        self.path = path
        try check(initialise(), "nvmlInit_v2")
        // The library stays loaded and initialised for the life of the process (no nvmlShutdown):
        // meters are made once per run, and reinitialising costs more than it frees.
    }

    func deviceCount() throws -> UInt32 {
        var count: UInt32 = 0
        try check(getCount(&count), "nvmlDeviceGetCount_v2")
        return count
    }

    /// The energy device `index` consumed since the driver loaded, in millijoules.
    func totalEnergyMillijoules(device index: UInt32) throws -> UInt64 {
        var device: OpaquePointer?
        try check(getHandle(index, &device), "nvmlDeviceGetHandleByIndex_v2(\(index))")
        var millijoules: UInt64 = 0
        try check(getEnergy(device, &millijoules), "nvmlDeviceGetTotalEnergyConsumption(device \(index))")
        return millijoules
    }

    private func check(_ status: Status, _ call: String) throws {
        guard status != Self.success else { return }
        let message = errorString(status).map { String(cString: $0) } ?? "error \(status)"
        throw AssayError("NVML: \(call) failed: \(message); choose --energy rapl or estimate")
    }
}
