/// Something that can measure (or estimate) the energy spent between two moments.
///
/// `start()` takes the first reading and returns the measurement in progress; its `stop()` takes
/// the second and reports the difference. A meter that cannot work here fails when it is made,
/// with the reason, so a run never discovers it at the end.
public protocol EnergyMeter: Sendable {
    var method: EnergyMethod { get }
    func start() throws -> EnergyMeasurementInProgress
}

/// A started measurement: call `stop()` once the work is done.
public struct EnergyMeasurementInProgress: Sendable {
    private let finish: @Sendable () throws -> EnergyMeasurement

    public init(finish: @escaping @Sendable () throws -> EnergyMeasurement) {
        self.finish = finish
    }

    public func stop() throws -> EnergyMeasurement {
        try finish()
    }
}
