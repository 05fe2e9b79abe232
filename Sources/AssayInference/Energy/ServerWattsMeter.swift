import AssayCore
import AssaySupport
import Foundation

/// A remote server's energy as the user states it: `--server-watts` W times the server's busy time.
///
/// Busy time per batch: the server's own time for its requests (Ollama's total_duration,
/// llama.cpp's timings) when it reports it, capped at the batch's wall time (parallel requests
/// overlap); otherwise the batch's wall time, with requests in flight throughout. A fleet of N
/// servers, each drawing W, is busy up to N times the wall time.
public struct ServerWattsMeter: EnergyMeter {
    public let method = EnergyMethod.serverWatts
    public let watts: Double
    /// The servers the requests are spread over, each drawing `watts`.
    public let servers: Int

    public init(watts: Double, servers: Int = 1) throws {
        guard watts.isFinite, watts > 0 else {
            throw AssayError("--server-watts must be a positive number of watts (got \(watts)); a busy GPU server draws about 200-700 W")
        }
        self.watts = watts
        self.servers = max(1, servers)
    }

    public func start() throws -> EnergyMeasurementInProgress {
        let startedAt = ContinuousClock.now
        let clientBefore = ProcessStat.ownCPUSeconds()
        let watts = self.watts
        let servers = Double(self.servers)
        return EnergyMeasurementInProgress(finishWithServerTime: { reported in
            let wallSeconds = (ContinuousClock.now - startedAt).secondsValue
            let busySeconds = reported.map { min($0, wallSeconds * servers) } ?? wallSeconds * servers
            let each = servers > 1 ? " for each of the \(Int(servers)) servers" : ""
            let basis =
                reported == nil
                ? "the wall time of the measured requests\(each) (the server reported no timings)"
                : "the server's own reported time for each request, at most the wall time\(each)"
            return EnergyMeasurement(
                joules: watts * busySeconds, durationSeconds: wallSeconds, method: .serverWatts,
                constants: [
                    "server_watts": watts, "servers": servers, "server_busy_seconds": busySeconds, "wall_seconds": wallSeconds,
                    "client_cpu_seconds": ProcessStat.ownCPUSeconds() - clientBefore,
                ],
                provenance:
                    "estimated: --server-watts \(formatFixed(watts, decimals: 1)) W (given by the user) x the remote server's busy time (\(basis)); not measured",
                notes: ["server_busy_time_basis": basis])
        })
    }
}
