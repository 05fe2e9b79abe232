import AssaySupport

/// Hands out a fleet's request slots: each server takes at most its concurrency at once, a
/// request goes to the least loaded server with a free slot, and a server whose requests keep
/// failing is dropped for the rest of the run.
actor FleetDispatcher {
    struct Slot: Sendable {
        let index: Int
        let member: FleetMember
    }

    private let members: [FleetMember]
    /// Consecutive failed requests (each after its own retries) that drop a server.
    private let dropAfter: Int
    private var inFlight: [Int]
    private var consecutiveFailures: [Int]
    private var dropReasons: [String?]
    private var answered: [Bool]
    private var waiting: [(avoiding: Set<Int>, continuation: CheckedContinuation<Slot, any Error>)] = []

    init(members: [FleetMember], dropAfter: Int) {
        self.members = members
        self.dropAfter = max(1, dropAfter)
        inFlight = Array(repeating: 0, count: members.count)
        consecutiveFailures = Array(repeating: 0, count: members.count)
        dropReasons = Array(repeating: nil, count: members.count)
        answered = Array(repeating: false, count: members.count)
    }

    /// A free slot, waiting for one if every live server is busy; a server in `avoiding` (one that
    /// just failed this request) is taken only when no other live server has a free slot. Throws
    /// once every server is dropped.
    func acquire(avoiding: Set<Int> = []) async throws -> Slot {
        if let slot = try freeSlot(avoiding: avoiding) { return slot }
        return try await withCheckedThrowingContinuation { waiting.append((avoiding, $0)) }
    }

    /// Gives the slot back after a success: the server's failure count starts again.
    func succeeded(_ slot: Slot) {
        inFlight[slot.index] -= 1
        consecutiveFailures[slot.index] = 0
        answered[slot.index] = true
        serveWaiting()
    }

    /// Gives the slot back after the server failed the request; returns the reason when this
    /// failure dropped the server.
    func failed(_ slot: Slot, error: BackendError) -> String? {
        inFlight[slot.index] -= 1
        consecutiveFailures[slot.index] += 1
        var dropped: String?
        if dropReasons[slot.index] == nil && consecutiveFailures[slot.index] >= dropAfter {
            let reason = "\(consecutiveFailures[slot.index]) requests in a row failed, the last with: \(error)"
            dropReasons[slot.index] = reason
            dropped = reason
        }
        serveWaiting()
        return dropped
    }

    /// Why each dropped server was dropped, by URL.
    func dropped() -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(members, dropReasons).compactMap { member, reason in reason.map { (member.url, $0) } })
    }

    /// The live servers that have answered nothing yet, with their places in the fleet.
    func idleServers() -> [(index: Int, member: FleetMember)] {
        members.indices.filter { dropReasons[$0] == nil && !answered[$0] }.map { ($0, members[$0]) }
    }

    /// Records a warm-up answer (`reason` nil) or drops the server for `reason`; throws once every
    /// server is dropped.
    func warmedUp(_ index: Int, failure reason: String?) throws {
        if let reason { dropReasons[index] = reason } else { answered[index] = true }
        if members.indices.allSatisfy({ dropReasons[$0] != nil }) { throw everyServerDropped() }
    }

    /// Gives the slot back after a failure that was the request's, not the server's.
    func released(_ slot: Slot) {
        inFlight[slot.index] -= 1
        serveWaiting()
    }

    private func freeSlot(avoiding: Set<Int>) throws -> Slot? {
        let live = members.indices.filter { dropReasons[$0] == nil }
        guard !live.isEmpty else { throw everyServerDropped() }
        let free = live.filter { inFlight[$0] < members[$0].concurrency }
        let preferred = free.filter { !avoiding.contains($0) }
        let candidates = preferred.isEmpty ? free : preferred
        // The least loaded for its size: busy slots over slots.
        guard
            let index = candidates.min(by: {
                Double(inFlight[$0]) / Double(members[$0].concurrency) < Double(inFlight[$1]) / Double(members[$1].concurrency)
            })
        else { return nil }
        inFlight[index] += 1
        return Slot(index: index, member: members[index])
    }

    private func serveWaiting() {
        while !waiting.isEmpty {
            do {
                guard let slot = try freeSlot(avoiding: waiting[0].avoiding) else { return }
                waiting.removeFirst().continuation.resume(returning: slot)
            } catch {
                for waiter in waiting { waiter.continuation.resume(throwing: error) }
                waiting.removeAll()
            }
        }
    }

    private func everyServerDropped() -> AssayError {
        let reasons = zip(members, dropReasons).map { member, reason in "\(member.url) (\(reason ?? "not dropped"))" }
        return AssayError(
            "every server of the fleet was dropped: \(reasons.joined(separator: "; ")); bring one back and run the same command to continue"
        )
    }
}
