import AssaySupport

/// How much CO2-equivalent the grid of a region emits per kilowatt-hour, and where that figure
/// comes from.
public struct EmissionFactor: Sendable, Equatable, Codable {
    public let gramsPerKWh: Double
    /// Publisher and data set, e.g. "Ember ... via Our World in Data, as shipped in CodeCarbon 3.3.2 ...".
    public let source: String
    /// The year the figure describes, when known.
    public let year: Int?
    /// A region code such as "FR", "US-CA" or "WORLD".
    public let region: String
    /// What the figure counts: "lifecycle" (construction and fuel supply included), "direct"
    /// (combustion at the plant only), or a generation mix converted with per-source factors;
    /// nil when the user gave the figure.
    public let kind: String?

    public init(gramsPerKWh: Double, source: String, year: Int?, region: String, kind: String? = nil) throws {
        guard gramsPerKWh.isFinite, gramsPerKWh >= 0 else {
            throw AssayError("emission factor for \(region) must be a non-negative number of grams CO2e per kWh (got \(gramsPerKWh))")
        }
        self.init(trusted: gramsPerKWh, source: source, year: year, region: region, kind: kind)
    }

    /// For the built-in table, whose figures are known to be valid.
    init(trusted gramsPerKWh: Double, source: String, year: Int?, region: String, kind: String?) {
        self.gramsPerKWh = gramsPerKWh
        self.source = source
        self.year = year
        self.region = region
        self.kind = kind
    }

    /// "56 gCO2e/kWh (FR, 2023, lifecycle; Ember ...)"
    public var citation: String {
        let grams = formatFixed(gramsPerKWh, decimals: gramsPerKWh.rounded() == gramsPerKWh ? 0 : 1)
        let details = [region] + (year.map { [String($0)] } ?? []) + (kind.map { [$0] } ?? [])
        return "\(grams) gCO2e/kWh (\(details.joined(separator: ", ")); \(source))"
    }

    /// The source as a run stores it: with the kind of figure and the year, which the run has no
    /// columns of their own for.
    public var storedSource: String {
        [source, kind, year.map(String.init)].compactMap { $0 }.joined(separator: ", ")
    }
}
