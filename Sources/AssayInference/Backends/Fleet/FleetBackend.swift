import AssaySupport

/// A model that several servers serve (`assay model add … --base-url URL1 --base-url URL2`).
///
/// Each request takes a slot on the least loaded live server and is retried there on transient
/// failures (`retry`). A request the server still fails moves to another server; a server that
/// fails `dropAfter` requests in a row is dropped for the rest of the run, and `onNotice` says so.
/// A failure that is the request's own (HTTP 400, say) is thrown as from one server. Each
/// completion names the server that answered, so the run stores it with the prediction.
public struct FleetBackend: InferenceBackend {
    public let members: [FleetMember]
    let retry: RetryPolicy
    let onNotice: @Sendable (String) -> Void
    private let dispatcher: FleetDispatcher

    public init(
        members: [FleetMember], retry: RetryPolicy, dropAfter: Int = 2, onNotice: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        guard members.count > 1 else { throw AssayError("a fleet needs at least two servers; register one server with a single URL") }
        self.members = members
        self.retry = retry
        self.onNotice = onNotice
        dispatcher = FleetDispatcher(members: members, dropAfter: dropAfter)
    }

    public var displayName: String { "a fleet of \(members.count) servers (\(members.map(\.url).joined(separator: ", ")))" }
    public var allowsConcurrentRequests: Bool { true }
    /// Every server's slots: the run keeps that many requests in flight.
    public var requestsEvaluatedTogether: Int? { members.map(\.concurrency).reduce(0, +) }

    /// Why each server dropped so far was dropped, by URL.
    public func droppedServers() async -> [String: String] {
        await dispatcher.dropped()
    }

    /// Warms every server that has not answered yet, all at once; one that fails its warm-up
    /// (after its retries) is dropped before the measured part starts.
    public func warmUpIdleServers(with request: ChatRequest) async throws {
        let idle = await dispatcher.idleServers()
        let failures = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, member) in idle {
                group.addTask {
                    do {
                        _ = try await retry.run({ try await member.backend.complete(request) })
                        return (index, nil)
                    } catch {
                        return (index, "its warm-up request failed: \(error)")
                    }
                }
            }
            var outcomes: [(Int, String?)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for (index, reason) in failures.sorted(by: { $0.0 < $1.0 }) {
            if let reason { onNotice("\(members[index].url) is dropped for the rest of the run: \(reason)") }
            try await dispatcher.warmedUp(index, failure: reason)
        }
    }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        var failedHere = Set<Int>()
        while true {
            let slot = try await dispatcher.acquire(avoiding: failedHere)
            let url = slot.member.url
            do {
                var completion = try await retry.run(
                    { try await slot.member.backend.complete(request) },
                    onRetry: { attempt, error, delay in
                        onNotice("\(url): retrying in \(formatFixed(delay, decimals: 1)) s (attempt \(attempt + 1)): \(error)")
                    })
                await dispatcher.succeeded(slot)
                completion.endpoint = url
                return completion
            } catch let error as BackendError where error.isServerFault {
                failedHere.insert(slot.index)
                if let reason = await dispatcher.failed(slot, error: error) {
                    onNotice("\(url) is dropped for the rest of the run: \(reason)")
                } else {
                    onNotice("\(url) failed a request (\(error)); it goes to another server")
                }
            } catch {
                await dispatcher.released(slot)
                throw error
            }
        }
    }
}
