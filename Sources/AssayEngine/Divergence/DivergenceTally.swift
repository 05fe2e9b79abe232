import Foundation

/// Sums over scored positions for a `DivergenceReport`; every figure in double precision.
struct DivergenceTally {
    private var divergences: [Double] = []
    private var sameTop = 0
    private var deltaSum = 0.0, deltaSquares = 0.0
    private var baseLoss = 0.0, baseLossSquares = 0.0
    private var modelLoss = 0.0, modelLossSquares = 0.0

    /// Positions added so far.
    var count: Int { divergences.count }

    /// One position: both models' logits after it and the token that follows it in the text.
    mutating func add(base: [Float], model: [Float], next: Int) {
        let baseNormalizer = Sampler.logNormalizer(base)
        let modelNormalizer = Sampler.logNormalizer(model)
        var divergence = 0.0
        var baseTop = 0
        var modelTop = 0
        for index in base.indices {
            let baseLog = Double(base[index]) - baseNormalizer
            let modelLog = Double(model[index]) - modelNormalizer
            divergence += exp(baseLog) * (baseLog - modelLog)
            if base[index] > base[baseTop] { baseTop = index }
            if model[index] > model[modelTop] { modelTop = index }
        }
        divergences.append(max(0, divergence))
        if baseTop == modelTop { sameTop += 1 }
        let baseNext = Double(base[next]) - baseNormalizer
        let modelNext = Double(model[next]) - modelNormalizer
        let delta = exp(modelNext) - exp(baseNext)
        deltaSum += delta
        deltaSquares += delta * delta
        baseLoss -= baseNext
        baseLossSquares += baseNext * baseNext
        modelLoss -= modelNext
        modelLossSquares += modelNext * modelNext
    }

    /// Adds every position of `other`: one item's positions pooled into the whole measurement's.
    mutating func add(_ other: DivergenceTally) {
        divergences += other.divergences
        sameTop += other.sameTop
        deltaSum += other.deltaSum
        deltaSquares += other.deltaSquares
        baseLoss += other.baseLoss
        baseLossSquares += other.baseLossSquares
        modelLoss += other.modelLoss
        modelLossSquares += other.modelLossSquares
    }

    func report(chunks: Int, context: Int) -> DivergenceReport {
        let count = Double(divergences.count)
        let sorted = divergences.sorted()
        let meanDivergence = divergences.reduce(0, +) / count
        let divergenceSquares = divergences.reduce(0) { $0 + $1 * $1 }
        let agreement = Double(sameTop) / count
        let meanBaseLoss = baseLoss / count
        let meanModelLoss = modelLoss / count
        return DivergenceReport(
            chunks: chunks, context: context, tokensScored: divergences.count,
            kld: .init(
                mean: .init(
                    value: meanDivergence,
                    standardError: Self.standardError(sum: meanDivergence * count, squares: divergenceSquares, count: count)),
                median: Self.quantile(sorted, 0.5), p90: Self.quantile(sorted, 0.9), p95: Self.quantile(sorted, 0.95),
                p99: Self.quantile(sorted, 0.99), p999: Self.quantile(sorted, 0.999), max: sorted.last ?? 0),
            sameTopToken: .init(value: agreement, standardError: count > 1 ? sqrt(agreement * (1 - agreement) / (count - 1)) : 0),
            rmsDeltaP: sqrt(deltaSquares / count),
            meanDeltaP: .init(
                value: deltaSum / count, standardError: Self.standardError(sum: deltaSum, squares: deltaSquares, count: count)),
            basePerplexity: Self.perplexity(loss: baseLoss, squares: baseLossSquares, count: count),
            modelPerplexity: Self.perplexity(loss: modelLoss, squares: modelLossSquares, count: count),
            perplexityRatio: exp(meanModelLoss - meanBaseLoss))
    }

    /// exp(mean loss), its error carried through the exponential (as llama-perplexity reports it).
    private static func perplexity(loss: Double, squares: Double, count: Double) -> DivergenceReport.Estimate {
        let value = exp(loss / count)
        return .init(value: value, standardError: value * standardError(sum: loss, squares: squares, count: count))
    }

    private static func standardError(sum: Double, squares: Double, count: Double) -> Double {
        guard count > 1 else { return 0 }
        let mean = sum / count
        return sqrt(max(0, squares / count - mean * mean) / (count - 1))
    }

    /// Linear interpolation between order statistics.
    private static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = Double(sorted.count - 1) * probability
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
