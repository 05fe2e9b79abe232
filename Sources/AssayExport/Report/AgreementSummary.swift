import AssayCore
import AssayStore

/// Inter-annotator agreement for each rubric criterion, from the annotators' own scores
/// (adjudications are a settlement, not a rating, and are left out).
struct AgreementSummary {
    let rubric: String
    /// True when some value is a category name: only the nominal coefficients mean anything then.
    let categorical: Bool
    let report: AgreementReport

    static func summaries(of scores: [ScoreExportRow]) throws -> [AgreementSummary] {
        let annotations = scores.filter { $0.kind == .annotation }
        let rubrics = Set(annotations.map { "\($0.rubricName) \($0.rubricVersion)" }).sorted()
        var result: [AgreementSummary] = []
        for rubric in rubrics {
            let rows = annotations.filter { "\($0.rubricName) \($0.rubricVersion)" == rubric }
            let coders = Set(rows.map(\.annotator)).sorted()
            guard coders.count >= 2 else { continue }
            let units = Set(rows.map(\.predictionID)).sorted()
            for criterion in Set(rows.flatMap(\.criteria.keys)).sorted() {
                let values = rows.compactMap { $0.criteria[criterion] }
                let categories = Set(values.compactMap { value -> String? in
                    if case .category(let name) = value { return name } else { return nil }
                }).sorted()
                func code(_ value: ScoreValue) -> Double? {
                    switch value {
                    case .number(let number): categories.isEmpty ? number : nil
                    case .category(let name): categories.firstIndex(of: name).map(Double.init)
                    }
                }
                var table: [Int64: [String: Double]] = [:]
                for row in rows {
                    if let value = row.criteria[criterion].flatMap(code) { table[row.predictionID, default: [:]][row.annotator] = value }
                }
                let ratings = try Ratings(coders: coders, units: units.map { unit in coders.map { table[unit]?[$0] } })
                result.append(AgreementSummary(rubric: rubric, categorical: !categories.isEmpty,
                                               report: try AgreementReport(criterion: criterion, ratings: ratings)))
            }
        }
        return result
    }
}
