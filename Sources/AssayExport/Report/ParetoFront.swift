/// The runs no other run beats on both counts: none has lower-or-equal CO2 and higher-or-equal
/// accuracy with at least one of the two strictly better.
enum ParetoFront {
    /// Indices into `points` (x = CO2, lower is better; y = accuracy, higher is better) on the
    /// front, by increasing CO2.
    static func indices(of points: [(co2: Double, accuracy: Double)]) -> [Int] {
        points.indices.filter { candidate in
            !points.indices.contains { other in
                other != candidate
                    && points[other].co2 <= points[candidate].co2
                    && points[other].accuracy >= points[candidate].accuracy
                    && (points[other].co2 < points[candidate].co2 || points[other].accuracy > points[candidate].accuracy)
            }
        }.sorted { points[$0].co2 < points[$1].co2 }
    }
}
