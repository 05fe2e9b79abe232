import AssaySupport

/// Scores that several coders gave to the same units (items), for one criterion. A missing score
/// is `nil`; scores are numbers so the ordinal and interval measures can use their order and
/// distances, while the nominal measures only compare them for equality.
public struct Ratings: Sendable, Equatable {
    public let coders: [String]
    /// One row per unit, one column per coder.
    public let units: [[Double?]]

    /// `units[u][c]` is coder `c`'s score for unit `u`.
    public init(coders: [String], units: [[Double?]]) throws {
        if let bad = units.firstIndex(where: { $0.count != coders.count }) {
            throw AssayError(
                "unit \(bad) has \(units[bad].count) scores but there are \(coders.count) coders; give one score or a missing value per coder"
            )
        }
        if let unit = units.firstIndex(where: { $0.contains { $0.map { !$0.isFinite } ?? false } }) {
            throw AssayError("unit \(unit) has a score that is not a finite number; scores must be numbers")
        }
        self.coders = coders
        self.units = units
    }

    /// From one row per coder (the layout of Krippendorff's reliability data), coders named by number.
    public init(byCoder rows: [[Double?]]) throws {
        let unitCount = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != unitCount }) {
            throw AssayError(
                "coder \(bad + 1) scored \(rows[bad].count) units but coder 1 scored \(unitCount); mark missing scores instead of dropping them"
            )
        }
        try self.init(
            coders: rows.indices.map { "coder \($0 + 1)" },
            units: (0..<unitCount).map { unit in rows.map { $0[unit] } }
        )
    }

    /// The scores present in each unit that has at least two of them; others cannot be paired.
    var pairableUnits: [[Double]] {
        units.map { $0.compactMap { $0 } }.filter { $0.count >= 2 }
    }

    /// Units every coder scored.
    var completeUnits: [[Double]] {
        units.compactMap { scores in
            let present = scores.compactMap { $0 }
            return present.count == scores.count ? present : nil
        }
    }
}
