import AssayCore
import AssaySupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One RAPL package domain under Linux powercap: its cumulative `energy_uj` counter and the value
/// at which that counter wraps back to zero.
public struct RAPLDomain: Sendable, Equatable {
    /// The domain's `name` file, e.g. "package-0".
    public let name: String
    /// The domain folder, e.g. /sys/class/powercap/intel-rapl:0.
    public let folder: String
    /// `max_energy_range_uj`: the counter runs from 0 up to this, then starts again at 0.
    public let maxEnergyRangeMicrojoules: UInt64

    init(name: String, folder: String, maxEnergyRangeMicrojoules: UInt64) {
        self.name = name
        self.folder = folder
        self.maxEnergyRangeMicrojoules = maxEnergyRangeMicrojoules
    }

    var energyFile: String { folder + "/energy_uj" }

    /// The counter now, in microjoules.
    public func readEnergy() throws -> UInt64 {
        try Self.readCounter(energyFile)
    }

    /// Microjoules between two readings, allowing for one wrap-around in between.
    public func microjoules(from start: UInt64, to end: UInt64) -> UInt64 {
        if end >= start { return end - start }
        // A reading above the declared range means that file is wrong: count from zero rather
        // than underflow. Otherwise end < start <= range, so the sum cannot overflow.
        guard start <= maxEnergyRangeMicrojoules else { return end }
        return (maxEnergyRangeMicrojoules - start) + end
    }

    /// Reads a sysfs file holding one unsigned integer, with the errno turned into a sentence:
    /// "permission denied" must reach the user, since RAPL counters are root-only on many kernels.
    static func readCounter(_ path: String) throws -> UInt64 {
        let text = try readSmallFile(path)
        guard let value = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw AssayError("\(path): expected an unsigned integer counter, found '\(text.prefix(40))'; is this a powercap folder?")
        }
        return value
    }

    static func readSmallFile(_ path: String) throws -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw readError(path, errno) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw readError(path, errno) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    static func readError(_ path: String, _ code: Int32) -> AssayError {
        if code == EACCES || code == EPERM {
            return AssayError(
                "\(path): permission denied reading the RAPL energy counter; grant read access (sudo chmod a+r \(path)) or choose --energy estimate"
            )
        }
        return AssayError(
            "\(path): cannot read the RAPL energy counter (\(String(cString: strerror(code)))); choose --energy estimate if RAPL is unusable here"
        )
    }
}
