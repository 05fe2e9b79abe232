import AssayCore
import AssayStore
import AssaySupport
import AssayTestSupport
import Foundation
import Testing

@testable import AssayInference

/// Finding a local server's processes and deciding what a run's energy covers.
struct ServerEnergyTests {
    /// A fake /proc: a server (pid 40, listening on 8080 over IPv6) with a child runner (41), and an unrelated 50.
    static func fakeProc() throws -> TemporaryFolder {
        let proc = try TemporaryFolder(prefix: "proc")
        _ = try proc.write(
            "net/tcp",
            """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7001 1 0000000000000000 100 0 0 10 0
               1: 0100007F:1F90 0100007F:A2C4 01 00000000:00000000 00:00000000 00000000     0        0 7002 1 0000000000000000 20 4 30 10 -1

            """)
        _ = try proc.write(
            "net/tcp6",
            """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9001 1 0000000000000000 100 0 0 10 0

            """)
        // utime and stime are fields 14 and 15; 100 ticks per second on Linux.
        _ = try proc.write("40/stat", "40 (llama server) S 1 40 40 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 100 0 0\n")
        _ = try proc.write("41/stat", "41 (runner) S 40 40 40 0 -1 4194560 100 0 0 0 100 0 0 0 20 0 3 0 100 0 0\n")
        _ = try proc.write("50/stat", "50 (bash) S 1 50 50 0 -1 4194560 100 0 0 0 999 999 0 0 20 0 1 0 100 0 0\n")
        _ = try proc.write("40/status", "Name:\tllama server\nVmRSS:\t  1048576 kB\n")
        _ = try proc.write("41/status", "Name:\trunner\nVmRSS:\t   524288 kB\n")
        try FileManager.default.createDirectory(atPath: proc.path("40/fd"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: proc.path("40/fd/3"), withDestinationPath: "socket:[9001]")
        try FileManager.default.createSymbolicLink(atPath: proc.path("40/fd/4"), withDestinationPath: "socket:[7002]")
        try FileManager.default.createDirectory(atPath: proc.path("50/fd"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: proc.path("50/fd/3"), withDestinationPath: "socket:[7001]")
        _ = try proc.write("stat", "cpu  1000 10 300 5000 20 5 7 3 0 0\ncpu0 500 5 150 2500 10 2 3 1 0 0\n")
        _ = try proc.write("meminfo", "MemTotal:       8388608 kB\nMemFree:        1000000 kB\nMemAvailable:   4194304 kB\n")
        return proc
    }

    @Test func theListeningPortNamesTheServerAndItsChildren() throws {
        let proc = try Self.fakeProc()
        // Only the LISTEN socket on 8080 counts (not the connected one, not port 8081).
        #expect(ListeningSockets.pids(listeningOn: 8080, procRoot: proc.url.path) == [40])
        #expect(ListeningSockets.pids(listeningOn: 8081, procRoot: proc.url.path) == [50])
        let source = try CPUTimeSource.server(port: 8080, pid: nil, procRoot: proc.url.path)
        #expect(source == .serverProcesses(roots: [40], foundBy: "listening on port 8080"))
        let reading = source.read(procRoot: proc.url.path)
        #expect(reading.cpuSeconds == [40: 3.0, 41: 1.0])
        #expect(
            source.coverage(procRoot: proc.url.path)
                == "the server's processes, listening on port 8080: pid 40 (llama server), pid 41 (runner)")
        #expect(source.residentGiB(procRoot: proc.url.path) == 1.5)
    }

    @Test func withoutAListenerTheWholeMachineIsCountedAndSaysWhy() throws {
        let proc = try Self.fakeProc()
        let source = try CPUTimeSource.server(port: 9999, pid: nil, procRoot: proc.url.path)
        guard case .machine(let reason) = source else {
            Issue.record("expected the machine fallback")
            return
        }
        #expect(reason.contains("no process of this user was found listening on port 9999"))
        // user + nice + system + irq + softirq + steal = 1325 ticks.
        #expect(source.read(procRoot: proc.url.path).total == 13.25)
        #expect(source.residentGiB(procRoot: proc.url.path) == 4)
        #expect(source.coverage(procRoot: proc.url.path).hasPrefix("the whole machine (every process), because no process"))
        #expect(throws: AssayError.self) { try CPUTimeSource.server(port: 8080, pid: 77, procRoot: proc.url.path) }
        #expect(
            try CPUTimeSource.server(port: 8080, pid: 50, procRoot: proc.url.path)
                == .serverProcesses(roots: [50], foundBy: "given with --server-pid"))
    }

    @Test func cpuSecondsBetweenReadingsCountNewProcessesWholeAndEndedOnesUpToTheirEnd() {
        let before = CPUTimeSource.Reading(cpuSeconds: [1: 10, 2: 5])
        let after = CPUTimeSource.Reading(cpuSeconds: [1: 12.5, 3: 0.75])
        #expect(CPUTimeSource.seconds(from: before, to: after) == 3.25)
    }

    @Test func statLinesWithSpacesAndParenthesesInTheName() throws {
        let stat = try #require(ProcessStat(line: "812 (python3 (x) y) R 7 812 812 0 -1 0 0 0 0 0 300 100 0 0 20 0 1 0 5 0 0"))
        #expect(stat.pid == 812 && stat.parentPID == 7 && stat.name == "python3 (x) y")
        #expect(stat.cpuSeconds == 400 / ProcessStat.ticksPerSecond)
        #expect(ProcessStat(line: "garbage") == nil)
        #expect(ProcessStat.read(pid: getpid()) != nil)
    }

    static func model(_ backend: ModelBackend, host: String?) -> ModelRecord {
        ModelRecord(name: "m", backend: backend, reference: "ref", host: host)
    }

    @Test func whereTheModelRunsDecidesTheMeter() throws {
        let proc = try Self.fakeProc()
        var request = RunEnergySetup.Request(choice: .estimate)
        request.procRoot = proc.url.path
        let local = try RunEnergySetup(model: Self.model(.openai, host: "http://127.0.0.1:8080/v1"), request: request)
        #expect(local.scope == .localServer)
        #expect((local.meter as? EstimatedEnergyMeter)?.cpuTime == .serverProcesses(roots: [40], foundBy: "listening on port 8080"))

        let embedded = try RunEnergySetup(model: Self.model(.embedded, host: nil), request: request)
        #expect(embedded.scope == .inProcess && (embedded.meter as? EstimatedEnergyMeter)?.cpuTime == .thisProcess)

        let remoteAuto = try RunEnergySetup(
            model: Self.model(.ollama, host: "http://gpu-box.lan:11434"), request: RunEnergySetup.Request(choice: .auto))
        #expect(remoteAuto.scope == .remoteServer && remoteAuto.meter == nil)
        #expect(throws: AssayError.self) { try RunEnergySetup(model: Self.model(.ollama, host: "http://10.0.0.5:11434"), request: request) }
        let watts = try RunEnergySetup(
            model: Self.model(.ollama, host: "https://api.example.com"), request: RunEnergySetup.Request(choice: .auto, serverWatts: 300))
        #expect(watts.meter is ServerWattsMeter)
        let tunnel = try RunEnergySetup(
            model: Self.model(.openai, host: "http://localhost:9000/v1"),
            request: RunEnergySetup.Request(choice: .auto, serverLocation: .remoteServer))
        #expect(tunnel.scope == .remoteServer && tunnel.meter == nil)
        #expect(throws: AssayError.self) {
            try RunEnergySetup(model: Self.model(.embedded, host: nil), request: RunEnergySetup.Request(choice: .auto, serverWatts: 100))
        }

        for host in ["http://localhost:1", "http://127.0.0.2:1", "http://[::1]:8080"] {
            #expect(RunEnergySetup.isLoopback(URL(string: host)!), "\(host)")
        }
        for host in ["http://10.1.2.3:1", "https://api.openai.com/v1", "http://localhost.example.com"] {
            #expect(!RunEnergySetup.isLoopback(URL(string: host)!), "\(host)")
        }
    }

    static func fleet(_ urls: [String]) -> ModelRecord {
        ModelRecord(name: "f", backend: .openai, reference: "ref", host: urls[0], endpoints: urls.map { ServerEndpoint(url: $0) })
    }

    @Test func aFleetIsLocalOnlyWhenEveryServerIsAndItsEstimateCountsEveryServer() throws {
        let proc = try Self.fakeProc()
        var request = RunEnergySetup.Request(choice: .estimate)
        request.procRoot = proc.url.path
        let local = try RunEnergySetup(model: Self.fleet(["http://127.0.0.1:8080/v1", "http://localhost:8081/v1"]), request: request)
        #expect(local.scope == .localServer)
        #expect(
            (local.meter as? EstimatedEnergyMeter)?.cpuTime == .serverProcesses(roots: [40, 50], foundBy: "listening on ports 8080, 8081"))
        // A server whose process cannot be found: the whole machine, saying why.
        let unfound = try RunEnergySetup(model: Self.fleet(["http://127.0.0.1:8080/v1", "http://127.0.0.1:8082/v1"]), request: request)
        guard case .machine(let reason) = (unfound.meter as? EstimatedEnergyMeter)?.cpuTime else {
            Issue.record("expected the machine's CPU time")
            return
        }
        #expect(reason.contains("port 8082"))
        request.serverPID = 40
        #expect(throws: AssayError.self) {
            try RunEnergySetup(model: Self.fleet(["http://127.0.0.1:8080/v1", "http://127.0.0.1:8081/v1"]), request: request)
        }

        let mixed = Self.fleet(["http://127.0.0.1:8080/v1", "http://gpu-box.lan:8080/v1"])
        let remote = try RunEnergySetup(model: mixed, request: RunEnergySetup.Request(choice: .auto))
        #expect(remote.scope == .remoteServer && remote.meter == nil)
        let watts = try RunEnergySetup(model: mixed, request: RunEnergySetup.Request(choice: .auto, serverWatts: 300))
        #expect((watts.meter as? ServerWattsMeter)?.servers == 2)
    }

    @Test func serverWattsTimesTheServersBusyTime() throws {
        let meter = try ServerWattsMeter(watts: 200)
        let reported = try meter.start()
        Thread.sleep(forTimeInterval: 0.05)
        let withTimings = try reported.stop(serverBusySeconds: 0.02)
        #expect(withTimings.method == .serverWatts)
        #expect(withTimings.constants["server_busy_seconds"] == 0.02 && abs(withTimings.joules - 4) < 1e-12)
        let unreported = try meter.start()
        Thread.sleep(forTimeInterval: 0.05)
        let wall = try unreported.stop()
        let busy = try #require(wall.constants["server_busy_seconds"])
        #expect(busy == wall.constants["wall_seconds"] && busy >= 0.05 && abs(wall.joules - 200 * busy) < 1e-9)
        #expect(wall.notes["server_busy_time_basis"]?.contains("reported no timings") == true)
        #expect(throws: AssayError.self) { try ServerWattsMeter(watts: 0) }
    }

    @Test func aFleetOfServersIsBusyUpToEachServersWallTime() throws {
        let meter = try ServerWattsMeter(watts: 100, servers: 3)
        let reported = try meter.start()
        Thread.sleep(forTimeInterval: 0.05)
        // Three servers each busy for most of the wall time: more than one wall time, all of it counted.
        let overlapping = try reported.stop(serverBusySeconds: 0.12)
        #expect(overlapping.constants["server_busy_seconds"] == 0.12 && abs(overlapping.joules - 12) < 1e-12)
        #expect(overlapping.constants["servers"] == 3)
        // Without timings, every server is taken as busy throughout.
        let unreported = try meter.start()
        Thread.sleep(forTimeInterval: 0.05)
        let wall = try unreported.stop()
        let busy = try #require(wall.constants["server_busy_seconds"])
        #expect(abs(busy - 3 * (wall.constants["wall_seconds"] ?? 0)) < 1e-12)
        #expect(wall.notes["server_busy_time_basis"]?.contains("for each of the 3 servers") == true)
    }
}
