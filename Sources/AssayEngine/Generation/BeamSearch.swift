import Foundation

/// Beam search: keeps the `width` most likely continuations (by summed log-probability), each with
/// its own KV cache, and returns the best one once no unfinished beam can still beat it.
struct BeamSearch {
    private struct Beam {
        var ids: [Int]
        var score: Double
        var logits: [Float]
        var cache: KVCache
        var finished: Bool
        var stopReason: GenerationResult.StopReason
    }

    let forward: ForwardPass
    let width: Int
    let stops: Set<Int>

    func run(prompt: KVCache, logits: [Float], maxTokens: Int, onToken: ((Int) -> Void)?)
        throws -> (ids: [Int], stop: GenerationResult.StopReason, evaluated: Int)
    {
        let first = KVCache(layerCount: prompt.layerCount, rowLength: prompt.rowLength, maximumLength: prompt.maximumLength)
        try first.copy(from: prompt)
        var beams = [Beam(ids: [], score: 0, logits: logits, cache: first, finished: maxTokens == 0, stopReason: .maxTokens)]
        var evaluated = 0
        while beams.contains(where: { !$0.finished }) {
            // Candidates: finished beams as they are, and each open beam extended by its top tokens.
            var candidates: [(parent: Int, token: Int?, score: Double)] = []
            for (index, beam) in beams.enumerated() {
                if beam.finished {
                    candidates.append((index, nil, beam.score))
                    continue
                }
                for (token, logProbability) in Self.top(width, logSoftmax: beam.logits) {
                    candidates.append((index, token, beam.score + logProbability))
                }
            }
            candidates.sort { $0.score > $1.score }
            let chosen = candidates.prefix(width)
            // Give each chosen child a cache: the first child of a parent takes the parent's cache,
            // the others copy it before anything is evaluated.
            var claimed = Set<Int>()
            var spare = beams.indices.filter { index in !chosen.contains { $0.parent == index } }.map { beams[$0].cache }
            var next: [Beam] = []
            for candidate in chosen {
                var child = beams[candidate.parent]
                if claimed.insert(candidate.parent).inserted == false {
                    let cache =
                        spare.popLast()
                        ?? KVCache(
                            layerCount: child.cache.layerCount,
                            rowLength: child.cache.rowLength,
                            maximumLength: child.cache.maximumLength)
                    try cache.copy(from: child.cache)
                    child.cache = cache
                }
                child.score = candidate.score
                if let token = candidate.token {
                    if stops.contains(token) {
                        child.finished = true
                        child.stopReason = .endOfGeneration
                    } else {
                        child.ids.append(token)
                        child.finished = child.ids.count >= maxTokens
                    }
                }
                next.append(child)
            }
            // Every open beam was just extended by one token; evaluate it.
            for index in next.indices where !next[index].finished {
                guard let token = next[index].ids.last else { continue }
                next[index].logits = try forward.evaluate([token], cache: next[index].cache, logitIndices: [0])[0] ?? []
                evaluated += 1
            }
            beams = next
            // Open beams only lose probability, so a finished beam ahead of all of them has won.
            if let best = beams.filter(\.finished).map(\.score).max(),
                beams.allSatisfy({ $0.finished || $0.score <= best })
            {
                break
            }
        }
        let best = beams.filter(\.finished).max { $0.score < $1.score } ?? beams.max { $0.score < $1.score }
        guard let best else { return ([], .maxTokens, evaluated) }
        for id in best.ids { onToken?(id) }
        return (best.ids, best.stopReason, evaluated)
    }

    /// The `count` most likely tokens with their log-probabilities.
    private static func top(_ count: Int, logSoftmax logits: [Float]) -> [(Int, Double)] {
        let normalizer = Sampler.logNormalizer(logits)
        var best: [(Int, Float)] = []
        for (id, logit) in logits.enumerated() where best.count < count || logit > best[best.count - 1].1 {
            let position = best.firstIndex { logit > $0.1 } ?? best.count
            best.insert((id, logit), at: position)
            if best.count > count { best.removeLast() }
        }
        return best.map { ($0.0, Double($0.1) - normalizer) }
    }
}
