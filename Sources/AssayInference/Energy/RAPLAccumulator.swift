import Synchronization

/// The running total of a RAPL measurement: the last reading of each package counter and the
/// microjoules counted so far, updated at every sample.
final class RAPLAccumulator: Sendable {
    private struct State {
        var lastReadings: [UInt64]
        var microjoules: UInt64 = 0
    }

    private let domains: [RAPLDomain]
    private let state: Mutex<State>

    init(domains: [RAPLDomain]) throws {
        self.domains = domains
        state = Mutex(State(lastReadings: try domains.map { try $0.readEnergy() }))
    }

    /// Reads every counter and adds the energy since the previous reading; returns the total.
    @discardableResult
    func sample() throws -> UInt64 {
        let readings = try domains.map { try $0.readEnergy() }
        return state.withLock { state in
            for (index, domain) in domains.enumerated() {
                state.microjoules += domain.microjoules(from: state.lastReadings[index], to: readings[index])
            }
            state.lastReadings = readings
            return state.microjoules
        }
    }
}
