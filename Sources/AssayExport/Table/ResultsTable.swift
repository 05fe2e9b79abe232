import AssayCore

/// The paper's results table: one row per run, grouped by model family with the most precise
/// run first, so that each quantized run sits under the baseline it is compared with.
public struct ResultsTable: Sendable, Codable, Equatable {
    public struct Group: Sendable, Codable, Equatable {
        public let family: String
        /// Most precise first; ties keep run order.
        public let rows: [ResultsTableRow]
    }

    public let groups: [Group]
    /// One sentence on how unparsed answers enter the metrics.
    public let unparsedPolicy: String

    public var rows: [ResultsTableRow] { groups.flatMap(\.rows) }

    /// Groups `rows` by family in order of first appearance and works out each run's CO2 change
    /// against its family's baseline.
    public init(rows: [ResultsTableRow], unparsedPolicy: String) {
        var families: [String] = []
        var byFamily: [String: [ResultsTableRow]] = [:]
        for row in rows {
            if byFamily[row.family] == nil { families.append(row.family) }
            byFamily[row.family, default: []].append(row)
        }
        groups = families.map { family in
            let members = byFamily[family] ?? []
            var ordered = members.enumerated().sorted { left, right in
                if left.element.variant.isMorePrecise(than: right.element.variant) { return true }
                if right.element.variant.isMorePrecise(than: left.element.variant) { return false }
                return left.offset < right.offset
            }.map(\.element)
            let baseline = ordered.first?.co2GramsPerQuery
            for index in ordered.indices.dropFirst() {
                if let baseline, baseline > 0, let current = ordered[index].co2GramsPerQuery {
                    ordered[index].co2ChangeFromBaseline = current / baseline - 1
                }
            }
            return Group(family: family, rows: ordered)
        }
        self.unparsedPolicy = unparsedPolicy
    }

    /// The distinct emission factors behind the CO2 column, as "400 gCO2e/kWh (region; source)".
    public var emissionFactorNotes: [String] {
        var seen: [String] = []
        for row in rows {
            guard let factor = row.emissionFactor else { continue }
            let details = [row.emissionRegion, row.emissionFactorSource].compactMap { $0 }.filter { !$0.isEmpty }
            let note = "\(NumberText.compact(factor)) gCO2e/kWh" + (details.isEmpty ? " (source not recorded)" : " (\(details.joined(separator: "; ")))")
            if !seen.contains(note) { seen.append(note) }
        }
        return seen
    }

    /// The caption: what the numbers are and where the CO2 figures come from.
    public var caption: String {
        let items = Set(rows.map(\.items)).sorted().map(String.init).joined(separator: "/")
        var text = "Macro-averaged precision, recall and F1, and accuracy, over \(items) items per run; \(unparsedPolicy). "
        text += "Runs are grouped by model, most precise quantization first; CO2 change is per query against the first run of the group. "
        let notes = emissionFactorNotes
        text += notes.isEmpty
            ? "No run recorded an emission factor."
            : "CO2 = measured energy × grid emission factor: \(notes.joined(separator: ", "))."
        return text
    }
}

extension ResultsTable {
    /// The table for these evaluated runs.
    public init(_ evaluations: [RunEvaluation], policy: UnparsedPolicy) {
        self.init(rows: evaluations.map(\.tableRow), unparsedPolicy: policy.statement)
    }
}
