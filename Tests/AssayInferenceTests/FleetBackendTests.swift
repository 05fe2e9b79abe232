import AssayCore
import AssayInference
import AssaySupport
import Foundation
import Testing

/// A fleet spreads requests over its servers within each one's concurrency, moves a failed
/// request to another server, drops a server that keeps failing, and throws a request's own error.
struct FleetBackendTests {
    /// Counts what one fixture server did: requests answered, requests at once (now and at most).
    actor ServerLog {
        private(set) var answered = 0
        private(set) var attempts = 0
        private(set) var mostAtOnce = 0
        private var atOnce = 0

        /// Returns the attempt's number, from 1.
        func began() -> Int {
            attempts += 1
            atOnce += 1
            mostAtOnce = max(mostAtOnce, atOnce)
            return attempts
        }

        func ended(answered didAnswer: Bool) {
            atOnce -= 1
            if didAnswer { answered += 1 }
        }
    }

    /// A server that answers after a short wait, or fails with `failure` from its `failFrom`-th request on.
    struct FixtureServer: InferenceBackend {
        let log = ServerLog()
        var failure: BackendError? = nil
        var failFrom = 1

        var displayName: String { "a fixture server" }
        var allowsConcurrentRequests: Bool { true }

        func complete(_ request: ChatRequest) async throws -> Completion {
            let attempt = await log.began()
            try await Task.sleep(nanoseconds: 2_000_000)
            if let failure, attempt >= failFrom {
                await log.ended(answered: false)
                throw failure
            }
            await log.ended(answered: true)
            return Completion(text: "Positive: \(request.user)")
        }
    }

    static let refused = BackendError(.connectionRefused, "connection refused")
    static let noRetry = RetryPolicy(attempts: 1, firstDelaySeconds: 0)

    /// Sends `count` requests at once, as the run does with the fleet's slots.
    static func send(_ count: Int, to fleet: FleetBackend) async -> [Result<Completion, any Error>] {
        await withTaskGroup(of: (Int, Result<Completion, any Error>).self) { group in
            for index in 0..<count {
                group.addTask {
                    let request = ChatRequest(system: nil, user: "item \(index)", hyperparameters: Hyperparameters())
                    do { return (index, .success(try await fleet.complete(request))) } catch { return (index, .failure(error)) }
                }
            }
            var results = [Result<Completion, any Error>?](repeating: nil, count: count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    @Test func requestsSpreadWithinEachServersConcurrency() async throws {
        let servers = [FixtureServer(), FixtureServer(), FixtureServer()]
        let fleet = try FleetBackend(
            members: zip(["http://a", "http://b", "http://c"], [3, 1, 2]).enumerated().map { index, pair in
                FleetMember(url: pair.0, backend: servers[index], concurrency: pair.1)
            }, retry: Self.noRetry)
        #expect(fleet.requestsEvaluatedTogether == 6)
        // More requests than slots: the extra ones wait for a slot instead of overloading a server.
        let results = await Self.send(60, to: fleet)
        let completions = try results.map { try $0.get() }
        #expect(completions.count == 60)
        #expect(Set(completions.map(\.text)).count == 60)
        var served: [String: Int] = [:]
        for completion in completions { served[completion.endpoint ?? "none", default: 0] += 1 }
        #expect(served.values.reduce(0, +) == 60)
        #expect(Set(served.keys) == ["http://a", "http://b", "http://c"])
        #expect(await servers[0].log.mostAtOnce <= 3)
        #expect(await servers[1].log.mostAtOnce == 1)
        #expect(await servers[2].log.mostAtOnce <= 2)
    }

    @Test func aServerThatKeepsFailingIsDroppedAndItsRequestsGoElsewhere() async throws {
        let failing = FixtureServer(failure: Self.refused, failFrom: 4)
        let healthy = [FixtureServer(), FixtureServer()]
        let notices = NoticeLog()
        let fleet = try FleetBackend(
            members: [
                FleetMember(url: "http://good-1", backend: healthy[0], concurrency: 2),
                FleetMember(url: "http://bad", backend: failing, concurrency: 2),
                FleetMember(url: "http://good-2", backend: healthy[1], concurrency: 2),
            ], retry: RetryPolicy(attempts: 2, firstDelaySeconds: 0.001), dropAfter: 2, onNotice: { notices.add($0) })
        let completions = try await Self.send(40, to: fleet).map { try $0.get() }
        #expect(completions.count == 40)
        #expect(Set(completions.map(\.text)).count == 40)
        let fromBad = completions.filter { $0.endpoint == "http://bad" }.count
        #expect(fromBad == 3, "the bad server answered its first three requests only")
        #expect(await failing.log.answered == 3)
        // Once dropped, it gets no request. Before that: the failure that counts first frees a slot
        // for one more request, so at most three requests fail there, of two attempts each.
        #expect(await failing.log.attempts <= 3 + 3 * 2)
        let dropped = notices.lines.filter { $0.contains("http://bad is dropped for the rest of the run") }
        #expect(dropped.count == 1, "\(notices.lines)")
        #expect(dropped.first?.contains("connection refused") == true)
    }

    @Test func aRequestsOwnErrorIsThrownNotMoved() async throws {
        let refusing = FixtureServer(failure: BackendError(.http(status: 400), "HTTP 400: the prompt is too long"))
        let other = FixtureServer()
        let fleet = try FleetBackend(
            members: [
                FleetMember(url: "http://a", backend: refusing, concurrency: 1),
                FleetMember(url: "http://b", backend: other, concurrency: 1),
            ], retry: Self.noRetry)
        let results = await Self.send(1, to: fleet)
        #expect(throws: BackendError.self) { try results[0].get() }
        #expect(await refusing.log.attempts + other.log.attempts == 1)
    }

    @Test func aFleetWithEveryServerDroppedSaysSoAndWhy() async throws {
        let fleet = try FleetBackend(
            members: [
                FleetMember(url: "http://a", backend: FixtureServer(failure: Self.refused), concurrency: 1),
                FleetMember(url: "http://b", backend: FixtureServer(failure: BackendError(.http(status: 503), "HTTP 503")), concurrency: 1),
            ], retry: Self.noRetry, dropAfter: 1)
        let results = await Self.send(3, to: fleet)
        for result in results {
            #expect(throws: AssayError.self) { try result.get() }
        }
        guard case .failure(let error) = results[0] else { return }
        let message = "\(error)"
        #expect(message.contains("every server of the fleet was dropped"))
        #expect(message.contains("http://a (1 requests in a row failed, the last with: connection refused)"))
        #expect(message.contains("http://b"))
        #expect(message.contains("run the same command to continue"))
    }

    @Test func theWarmUpReachesEveryServerThatHasNotAnsweredAndDropsOneThatFails() async throws {
        let servers = [FixtureServer(), FixtureServer(), FixtureServer(failure: Self.refused)]
        let notices = NoticeLog()
        let fleet = try FleetBackend(
            members: zip(["http://a", "http://b", "http://c"], servers).map { FleetMember(url: $0, backend: $1, concurrency: 1) },
            retry: Self.noRetry, onNotice: { notices.add($0) })
        let request = ChatRequest(system: nil, user: "warm", hyperparameters: Hyperparameters())
        _ = try await fleet.complete(request)
        try await fleet.warmUpIdleServers(with: request)
        var attempts: [Int] = []
        for server in servers { attempts.append(await server.log.attempts) }
        #expect(attempts == [1, 1, 1], "the server that answered is not warmed twice")
        #expect(notices.lines == ["http://c is dropped for the rest of the run: its warm-up request failed: connection refused"])
        let completions = try await Self.send(8, to: fleet).map { try $0.get() }
        #expect(!completions.contains { $0.endpoint == "http://c" })
        #expect(await servers[2].log.attempts == 1)
    }

    @Test func oneServerIsNotAFleet() throws {
        #expect(throws: AssayError.self) {
            try FleetBackend(members: [FleetMember(url: "http://a", backend: FixtureServer(), concurrency: 1)], retry: Self.noRetry)
        }
    }
}

/// Notices a fleet printed, in order.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func add(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
