/// Which examples the figure shows.
public enum ExampleSelection: String, Sendable, CaseIterable {
    /// A balanced set: consistent and inconsistent answers for each gold label, each shown beside
    /// the same text's answer from the other precision of the same model when there is one.
    case key
    /// Every candidate, in order.
    case all

    /// Picks from `candidates` (each with its evaluations) at most `limit` examples.
    public func pick(from candidates: [QualitativeExample], limit: Int?) -> [QualitativeExample] {
        switch self {
        case .all: return Array(candidates.prefix(limit ?? candidates.count))
        case .key: return Self.balanced(candidates, limit: limit ?? 6)
        }
    }

    private struct Stratum: Hashable {
        let goldLabel: String
        let consistent: Bool
    }

    /// Round-robin over (gold label, consistent?) strata, taking each stratum's most telling example
    /// and its before/after partner, until `limit` boxes are chosen.
    private static func balanced(_ candidates: [QualitativeExample], limit: Int) -> [QualitativeExample] {
        let partners = partnerIndex(candidates)
        var strata: [Stratum] = []
        var members: [Stratum: [Int]] = [:]
        for (index, example) in candidates.enumerated() {
            let stratum = Stratum(goldLabel: example.goldLabel, consistent: example.verdict == .consistent)
            if members[stratum] == nil { strata.append(stratum) }
            members[stratum, default: []].append(index)
        }
        // Consistent before inconsistent within each label, labels in order of first appearance.
        let labelOrder = strata.map(\.goldLabel).uniqued()
        strata.sort { left, right in
            let leftLabel = labelOrder.firstIndex(of: left.goldLabel) ?? 0
            let rightLabel = labelOrder.firstIndex(of: right.goldLabel) ?? 0
            return leftLabel != rightLabel ? leftLabel < rightLabel : left.consistent && !right.consistent
        }
        let interests = candidates.indices.map { interest(candidates, $0, partners) }
        for stratum in strata {
            members[stratum]?.sort { interests[$1].lexicographicallyPrecedes(interests[$0]) }
        }

        var chosen: [Int] = []
        var usedItems = Set<ItemKey>()
        var progress = true
        while chosen.count < limit && progress {
            progress = false
            for stratum in strata where chosen.count < limit {
                guard let next = members[stratum]?.first(where: { !usedItems.contains(ItemKey(candidates[$0])) }) else { continue }
                progress = true
                usedItems.insert(ItemKey(candidates[next]))
                if let partner = partners[next], chosen.count + 2 <= limit {
                    let pair =
                        candidates[partner].variant.isMorePrecise(than: candidates[next].variant) ? [partner, next] : [next, partner]
                    chosen += pair
                } else {
                    chosen.append(next)
                }
            }
        }
        return chosen.map { candidates[$0] }
    }

    /// Ranks examples within a stratum: adjudicated ones first, then those with a before/after
    /// partner whose verdict differs (quantization changed the answer), then any partner, then
    /// those with a comment; ties keep the candidates' order.
    private static func interest(_ candidates: [QualitativeExample], _ index: Int, _ partners: [Int: Int]) -> [Int] {
        let example = candidates[index]
        let partner = partners[index].map { candidates[$0] }
        return [
            example.evaluations.contains(where: \.adjudicated) ? 1 : 0,
            partner.map { $0.verdict != example.verdict ? 1 : 0 } ?? 0,
            partner == nil ? 0 : 1,
            example.evaluations.contains { !($0.comment ?? "").isEmpty } ? 1 : 0,
            -index,
        ]
    }

    private struct ItemKey: Hashable {
        let dataset: String
        let position: Int
        init(_ example: QualitativeExample) {
            dataset = example.dataset
            position = example.itemPosition
        }
    }

    /// For each candidate, another candidate on the same item from a run of the same model family
    /// at a different precision (the most precise such one for a quantized run, the next less
    /// precise for a baseline).
    private static func partnerIndex(_ candidates: [QualitativeExample]) -> [Int: Int] {
        var byItemAndFamily: [String: [Int]] = [:]
        for (index, example) in candidates.enumerated() {
            byItemAndFamily["\(example.dataset)\u{0}\(example.itemPosition)\u{0}\(example.variant.family)", default: []].append(index)
        }
        var partners: [Int: Int] = [:]
        for indices in byItemAndFamily.values where indices.count > 1 {
            let ordered = indices.sorted { candidates[$0].variant.isMorePrecise(than: candidates[$1].variant) }
            guard let baseline = ordered.first else { continue }
            for index in ordered.dropFirst() where candidates[index].variant.bits != candidates[baseline].variant.bits {
                partners[index] = baseline
                if partners[baseline] == nil { partners[baseline] = index }
            }
        }
        return partners
    }
}
