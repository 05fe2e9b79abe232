import AssayCore

/// Something that can measure (or estimate) the energy spent between two moments.
///
/// `start()` takes the first reading and returns the measurement in progress; its `stop()` takes
/// the last and reports the total. A meter that cannot work here fails when it is made, with the
/// reason, so a run never discovers it at the end.
public protocol EnergyMeter: Sendable {
    var method: EnergyMethod { get }
    func start() throws -> EnergyMeasurementInProgress
}

/// A started measurement: call `sample()` now and then during long work (after each item, say),
/// and `stop()` once the work is done.
public struct EnergyMeasurementInProgress: Sendable {
    private let sampleHandler: @Sendable () throws -> Void
    private let finish: @Sendable (_ serverBusySeconds: Double?) throws -> EnergyMeasurement
    /// Whether the figure comes from the server's reported time for the finished requests, when
    /// given it, rather than from what happened during the measured time.
    public let measuresServerTime: Bool

    public init(sample: @escaping @Sendable () throws -> Void = {}, finish: @escaping @Sendable () throws -> EnergyMeasurement) {
        sampleHandler = sample
        self.finish = { _ in try finish() }
        measuresServerTime = false
    }

    /// For a meter whose figure depends on how long the server worked (`--server-watts`).
    public init(finishWithServerTime finish: @escaping @Sendable (_ serverBusySeconds: Double?) throws -> EnergyMeasurement) {
        sampleHandler = {}
        self.finish = finish
        measuresServerTime = true
    }

    /// Folds the energy so far into the total. Counters that wrap (RAPL's wraps after
    /// `max_energy_range_uj`, minutes at full load) lose a whole range for every wrap between two
    /// readings beyond the first; sampling more often than that keeps the total exact.
    public func sample() throws {
        try sampleHandler()
    }

    /// `serverBusySeconds`: how long the server worked on the measured requests, when known.
    public func stop(serverBusySeconds: Double? = nil) throws -> EnergyMeasurement {
        try finish(serverBusySeconds)
    }
}
