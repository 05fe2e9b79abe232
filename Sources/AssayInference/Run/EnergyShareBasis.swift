import Foundation

/// What a batch's measured energy is shared by among its predictions, and how the stored
/// provenance says so.
public enum EnergyShareBasis: Int, Sendable, Comparable {
    /// The tokens the embedded engine evaluated for each: sequences decoded together share every
    /// pass, so wall time would count each pass once per sequence.
    case engineTokens
    /// The server's own time for each (Ollama's total_duration, llama.cpp's timings).
    case serverTime
    /// Each one's latency; overlapping latencies share by the same proportion.
    case latency

    /// The first basis every prediction of a batch reports a figure for, with those figures.
    static func weigh(_ predictions: [ItemPrediction]) -> (basis: EnergyShareBasis, weights: [Double]) {
        let tokens = predictions.compactMap(\.engineTokens)
        if tokens.count == predictions.count { return (.engineTokens, tokens.map(Double.init)) }
        let seconds = predictions.compactMap(\.serverSeconds)
        if seconds.count == predictions.count { return (.serverTime, seconds) }
        return (.latency, predictions.map(\.latencySeconds))
    }

    public static func < (left: EnergyShareBasis, right: EnergyShareBasis) -> Bool { left.rawValue < right.rawValue }

    private var phrase: String {
        switch self {
        case .engineTokens:
            "the tokens the embedded engine evaluated for it (prompt tokens not reused, plus decoded tokens and, in score mode, label tokens)"
        case .serverTime: "the server's own time for it (Ollama total_duration, llama.cpp timings)"
        case .latency: "its latency (no time or token count of its own was reported)"
        }
    }

    /// The stored sentence for a run whose batches were shared by `bases`.
    static func attribution(_ bases: Set<EnergyShareBasis>) -> String {
        let phrases = bases.sorted().map(\.phrase)
        return "each prediction carries part of the energy of every commit it was in flight during, by its time in each, in proportion to "
            + (phrases.isEmpty ? EnergyShareBasis.latency.phrase : phrases.joined(separator: "; in other batches, to "))
    }
}
