import AssaySupport
import Foundation

/// Picks the next token from logits: greedy, or temperature sampling after top-k and top-p filters.
struct Sampler {
    private let options: GenerationOptions
    private var random: SplitMix64

    init(options: GenerationOptions) {
        self.options = options
        random = SplitMix64(seed: options.seed)
    }

    mutating func pick(from logits: [Float]) -> Int {
        guard options.temperature > 0 else { return Self.argmax(logits) }
        var candidates = logits.indices.map { (id: $0, logit: logits[$0]) }
        if options.topK > 0 && options.topK < candidates.count {
            // Threshold at the k-th largest logit instead of sorting the whole vocabulary.
            let kth = Self.kthLargest(logits, options.topK)
            candidates = candidates.filter { $0.logit >= kth }
        }
        candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
        if options.topK > 0 && candidates.count > options.topK { candidates.removeLast(candidates.count - options.topK) }
        let maximum = Double(candidates[0].logit)
        var weights = candidates.map { exp((Double($0.logit) - maximum) / options.temperature) }
        let total = weights.reduce(0, +)
        if options.topP < 1 {
            var cumulative = 0.0
            var keep = weights.count
            for (index, weight) in weights.enumerated() {
                cumulative += weight / total
                if cumulative >= options.topP {
                    keep = index + 1
                    break
                }
            }
            weights.removeLast(weights.count - keep)
        }
        let target = random.nextUnit() * weights.reduce(0, +)
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() {
            cumulative += weight
            if target < cumulative { return candidates[index].id }
        }
        return candidates[weights.count - 1].id
    }

    /// The index of the largest logit (the lowest id on ties).
    static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for index in logits.indices where logits[index] > logits[best] { best = index }
        return best
    }

    private static func kthLargest(_ values: [Float], _ k: Int) -> Float {
        var top = Array(values.prefix(k)).sorted()
        for value in values.dropFirst(k) where value > top[0] {
            // Insert keeping `top` sorted ascending, dropping its smallest element.
            var index = 0
            while index + 1 < top.count && top[index + 1] < value {
                top[index] = top[index + 1]
                index += 1
            }
            top[index] = value
        }
        return top[0]
    }

    /// log Σ exp(logits), computed in Double: log softmax(logits)[id] = logits[id] - this.
    static func logNormalizer(_ logits: [Float]) -> Double {
        let maximum = Double(logits.max() ?? 0)
        var total = 0.0
        for logit in logits { total += exp(Double(logit) - maximum) }
        return maximum + log(total)
    }
}
