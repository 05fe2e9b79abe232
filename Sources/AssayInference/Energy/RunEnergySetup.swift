import AssayCore
import AssayStore
import AssaySupport
import Foundation

/// Decides what a run's energy figure covers and which meter makes it, from where the model runs.
///
/// - Embedded engine: the chosen meter, counting this process (RAPL and NVML: the machine).
/// - Local server (loopback URL): RAPL and NVML are machine-wide already; the estimate meter
///   counts the server's processes (found from the port, or `--server-pid`), else the machine.
/// - Remote server: nothing here can measure it, so no meter, unless `--server-watts W` is given.
///   A loopback URL that tunnels to another machine is declared remote with `--server-location remote`.
public struct RunEnergySetup: Sendable {
    public let scope: EnergyScope
    /// Nil when nothing is measured (a remote server without --server-watts, or --meter none).
    public let meter: (any EnergyMeter)?

    public struct Request: Sendable {
        public var choice: EnergyMeterChoice
        public var serverPID: Int32?
        public var serverWatts: Double?
        /// Where the server is, when the URL misleads (an SSH tunnel on 127.0.0.1 to another machine); nil: from the URL.
        public var serverLocation: EnergyScope?
        public var environment = EnergyMeterChoice.Environment()
        public var procRoot = "/proc"

        public init(choice: EnergyMeterChoice, serverPID: Int32? = nil, serverWatts: Double? = nil, serverLocation: EnergyScope? = nil) {
            self.choice = choice
            self.serverPID = serverPID
            self.serverWatts = serverWatts
            self.serverLocation = serverLocation
        }
    }

    public init(model: ModelRecord, request: Request) throws {
        let servers = Self.serverURLs(of: model)
        // A fleet is local only when every server is: a local meter cannot see a remote one.
        let server = servers.first { !Self.isLoopback($0) } ?? servers.first
        scope = server.map { request.serverLocation ?? (Self.isLoopback($0) ? .localServer : .remoteServer) } ?? .inProcess
        if scope == .inProcess, request.serverPID != nil || request.serverWatts != nil || request.serverLocation != nil {
            throw AssayError(
                "--server-pid, --server-watts and --server-location are for server models; '\(model.name)' runs in Assay's own engine, which the meter measures directly"
            )
        }
        if request.serverLocation == .inProcess {
            throw AssayError("--server-location is local or remote")
        }
        if let watts = request.serverWatts {
            if request.serverPID != nil {
                throw AssayError("give --server-watts or --server-pid, not both: --server-watts replaces measuring the server")
            }
            meter = try ServerWattsMeter(watts: watts, servers: servers.count)
            return
        }
        let choice = request.choice
        if choice == .none {
            meter = nil
            return
        }
        switch scope {
        case .remoteServer:
            if request.serverPID != nil {
                throw AssayError(
                    "--server-pid names a process on this machine, but \(server?.absoluteString ?? "the server") is remote; give --server-watts W to estimate its energy"
                )
            }
            if choice != .auto {
                throw AssayError(
                    "--meter \(choice.rawValue) measures this machine, but \(server?.absoluteString ?? "the server") is remote, so its figure would not be the model's; leave --meter out (energy is then not measured) or give --server-watts W"
                )
            }
            meter = nil
        case .localServer:
            let made = try choice.makeMeter(environment: request.environment)
            if var estimate = made as? EstimatedEnergyMeter {
                estimate.cpuTime = try Self.localServerCPU(of: model, pid: request.serverPID, procRoot: request.procRoot)
                meter = estimate
            } else {
                meter = made
            }
        case .inProcess:
            meter = try choice.makeMeter(environment: request.environment)
        }
    }

    /// The CPU time source of a model's local server (its processes, or the machine); an error for
    /// the embedded engine and for remote servers, whose CPU this machine cannot see.
    public static func localServerCPU(of model: ModelRecord, pid: Int32?, procRoot: String = "/proc") throws -> CPUTimeSource {
        let servers = serverURLs(of: model)
        guard !servers.isEmpty else {
            throw AssayError(
                "model '\(model.name)' runs in Assay's own engine; give a model served by Ollama or an OpenAI-compatible server")
        }
        if let remote = servers.first(where: { !isLoopback($0) }) {
            throw AssayError(
                "the server of '\(model.name)' (\(remote.absoluteString)) is not on this machine, so its CPU time cannot be read here; use a server on 127.0.0.1"
            )
        }
        guard servers.count > 1 else { return try CPUTimeSource.server(port: port(of: servers[0]), pid: pid, procRoot: procRoot) }
        if pid != nil {
            throw AssayError(
                "--server-pid names one process, but '\(model.name)' has \(servers.count) servers; leave it out and each server is found from its port"
            )
        }
        // A local fleet: every server's processes, or the machine as soon as one cannot be found.
        var roots: [Int32] = []
        for server in servers {
            switch try CPUTimeSource.server(port: port(of: server), pid: nil, procRoot: procRoot) {
            case .serverProcesses(let found, _): roots += found
            case let other: return other
            }
        }
        return .serverProcesses(
            roots: roots, foundBy: "listening on ports \(servers.compactMap { port(of: $0) }.map(String.init).joined(separator: ", "))")
    }

    /// The servers a model runs on (a fleet's every one), or none for the embedded engine.
    static func serverURLs(of model: ModelRecord) -> [URL] {
        guard model.backend == .ollama || model.backend == .openai else { return [] }
        return model.servers.compactMap { URL(string: $0.url) }
    }

    /// 127.0.0.0/8, ::1 and localhost: the server shares this machine.
    public static func isLoopback(_ url: URL) -> Bool {
        guard var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host.hasPrefix("127.")
            || host == "0:0:0:0:0:0:0:1"
    }

    /// The URL's port, or its scheme's default.
    static func port(of url: URL) -> Int? {
        url.port ?? (url.scheme == "https" ? 443 : url.scheme == "http" ? 80 : nil)
    }
}
