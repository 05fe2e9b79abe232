import AssayCore
import AssayInference
import AssaySupport
import Foundation

/// Sends a dataset's items to a model's server, as `assay run` does but storing nothing, and
/// measures how much CPU the client (this process) and the server each used meanwhile.
public struct ServerBenchmark: Sendable {
    public struct Result: Sendable, Encodable {
        public let requests: Int
        public let concurrency: Int
        public let wallSeconds: Double
        public let clientCPUSeconds: Double
        public let serverCPUSeconds: Double
        /// Whose CPU time the server figure is: its processes, or the whole machine.
        public let serverCoverage: String

        /// CPU seconds per wall second: 1 is one core busy throughout.
        public var clientCores: Double { wallSeconds > 0 ? clientCPUSeconds / wallSeconds : 0 }
        public var serverCores: Double { wallSeconds > 0 ? serverCPUSeconds / wallSeconds : 0 }
        /// Client CPU per server CPU second.
        public var clientPerServer: Double? { serverCPUSeconds > 0 ? clientCPUSeconds / serverCPUSeconds : nil }

        enum CodingKeys: String, CodingKey {
            case requests, concurrency, wallSeconds
            case clientCPUSeconds = "clientCpuSeconds"
            case serverCPUSeconds = "serverCpuSeconds"
            case serverCoverage, clientCores, serverCores, clientPerServer
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(requests, forKey: .requests)
            try container.encode(concurrency, forKey: .concurrency)
            try container.encode(wallSeconds, forKey: .wallSeconds)
            try container.encode(clientCPUSeconds, forKey: .clientCPUSeconds)
            try container.encode(serverCPUSeconds, forKey: .serverCPUSeconds)
            try container.encode(serverCoverage, forKey: .serverCoverage)
            try container.encode(clientCores, forKey: .clientCores)
            try container.encode(serverCores, forKey: .serverCores)
            try container.encodeIfPresent(clientPerServer, forKey: .clientPerServer)
        }
    }

    public let predictor: Predictor
    public let server: CPUTimeSource
    public let concurrency: Int

    public init(predictor: Predictor, server: CPUTimeSource, concurrency: Int) {
        self.predictor = predictor
        self.server = server
        self.concurrency = max(1, concurrency)
    }

    /// One warm-up request (not measured), then every text with `concurrency` requests in flight.
    /// `onRequestDone` gets the requests done so far and the measured seconds.
    public func run(texts: [String], onRequestDone: @escaping @Sendable (Int, Double) -> Void = { _, _ in }) async throws -> Result {
        guard let first = texts.first else { throw AssayError("the benchmark needs at least one item") }
        let ready = try await predictor.prepared(onRetry: { _, _, _ in })
        _ = try await ready.predict(RunItem(id: ItemID(0), text: first), onRetry: { _, _, _ in })

        let serverBefore = server.read()
        let clientBefore = ProcessStat.ownCPUSeconds()
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = texts.startIndex
            var done = 0
            func launch() {
                guard next < texts.endIndex else { return }
                let text = texts[next]
                let index = next
                next += 1
                group.addTask { _ = try await ready.predict(RunItem(id: ItemID(Int64(index)), text: text), onRetry: { _, _, _ in }) }
            }
            for _ in 0..<concurrency { launch() }
            while try await group.next() != nil {
                done += 1
                onRequestDone(done, (ContinuousClock.now - started).secondsValue)
                launch()
            }
        }
        let wall = (ContinuousClock.now - started).secondsValue
        return Result(
            requests: texts.count, concurrency: concurrency, wallSeconds: wall,
            clientCPUSeconds: ProcessStat.ownCPUSeconds() - clientBefore,
            serverCPUSeconds: CPUTimeSource.seconds(from: serverBefore, to: server.read()),
            serverCoverage: server.coverage())
    }
}
