/// How much CO2-equivalent the grid of a region emits per kilowatt-hour, and where that figure
/// comes from.
public struct EmissionFactor: Sendable, Equatable, Codable {
    public let gramsPerKWh: Double
    /// Publisher and data set, e.g. "Ember, via Our World in Data (lifecycle gCO2e/kWh)".
    public let source: String
    /// The year the figure describes, when known.
    public let year: Int?
    /// A region code such as "FR" or "WORLD".
    public let region: String

    public init(gramsPerKWh: Double, source: String, year: Int?, region: String) throws {
        guard gramsPerKWh.isFinite, gramsPerKWh >= 0 else {
            throw AssayError("emission factor for \(region) must be a non-negative number of grams CO2e per kWh (got \(gramsPerKWh))")
        }
        self.init(trusted: gramsPerKWh, source: source, year: year, region: region)
    }

    /// For the built-in table, whose figures are known to be valid.
    init(trusted gramsPerKWh: Double, source: String, year: Int?, region: String) {
        self.gramsPerKWh = gramsPerKWh
        self.source = source
        self.year = year
        self.region = region
    }

    /// "56 gCO2e/kWh (FR, 2023; Ember, via Our World in Data ...)"
    public var citation: String {
        let grams = formatFixed(gramsPerKWh, decimals: gramsPerKWh.rounded() == gramsPerKWh ? 0 : 1)
        return "\(grams) gCO2e/kWh (\(([region] + (year.map { [String($0)] } ?? [])).joined(separator: ", ")); \(source))"
    }
}
