import AssayCore

/// Shares each commit's measured energy among the requests that worked during it, finished or not.
///
/// A commit measures the energy since the previous one, but with several requests in flight much
/// of that went to requests that finish later. Each request gets the part of a commit's energy
/// that matches its weight (`EnergyShareBasis`) spread evenly over its own time, times the part of
/// that time inside the commit's window; a request still in flight, whose weight is not known yet,
/// is weighed at the finished ones' average weight per second. It carries its part until it
/// finishes, so every prediction's energy covers its whole time, and the parts add up to the
/// measured energy once nothing is in flight (at the end of every session but a killed one).
struct EnergyApportioner {
    private var launchedAt: [ItemID: ContinuousClock.Instant] = [:]
    private var carried: [ItemID: Double] = [:]

    /// A finished request: its item, its weight and when its result arrived.
    struct Finished {
        let item: ItemID
        let weight: Double
        let finishedAt: ContinuousClock.Instant
    }

    mutating func launched(_ item: ItemID, at instant: ContinuousClock.Instant = .now) {
        launchedAt[item] = instant
    }

    /// Each finished request's energy: its carried part and its share of `kilowattHours`, measured
    /// from `windowStart` to `windowEnd`. Requests still in flight carry their shares, unless the
    /// figure only covers the finished requests (`inFlightShare` false: a server's reported time).
    mutating func share(
        _ kilowattHours: Double, from windowStart: ContinuousClock.Instant, to windowEnd: ContinuousClock.Instant,
        finished: [Finished], inFlightShare: Bool
    ) -> [Double] {
        func seconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Double { max(0, (to - from).secondsValue) }
        func start(_ item: ItemID) -> ContinuousClock.Instant { launchedAt[item] ?? windowStart }
        let ownSeconds = finished.map { seconds(start($0.item), $0.finishedAt) }
        let finishedWeights = zip(finished, ownSeconds).map { request, own in
            own > 0 ? request.weight * seconds(max(start(request.item), windowStart), request.finishedAt) / own : request.weight
        }
        let totalOwnSeconds = ownSeconds.reduce(0, +)
        let weightPerSecond = totalOwnSeconds > 0 ? finished.reduce(0.0) { $0 + $1.weight } / totalOwnSeconds : 0
        let finishedItems = Set(finished.map(\.item))
        let inFlight = inFlightShare ? launchedAt.keys.filter { !finishedItems.contains($0) } : []
        let inFlightWeights = inFlight.map { weightPerSecond * seconds(max(start($0), windowStart), windowEnd) }
        let total = finishedWeights.reduce(0, +) + inFlightWeights.reduce(0, +)
        guard total > 0 else { return finished.map { (carried[$0.item] ?? 0) + kilowattHours / Double(max(1, finished.count)) } }
        for (item, weight) in zip(inFlight, inFlightWeights) { carried[item, default: 0] += kilowattHours * weight / total }
        return zip(finished, finishedWeights).map { request, weight in (carried[request.item] ?? 0) + kilowattHours * weight / total }
    }

    /// Forgets finished requests (after `share`, or when nothing was measured).
    mutating func forget(_ items: [ItemID]) {
        for item in items {
            launchedAt[item] = nil
            carried[item] = nil
        }
    }
}
