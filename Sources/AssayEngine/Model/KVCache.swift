import AssaySupport

/// The keys and values of every layer for the tokens evaluated so far, with the ids of those tokens
/// so that a new prompt can reuse the longest common prefix.
///
/// Keys and values are stored as IEEE halves, as llama.cpp does: half the memory, and the same
/// rounding. Storage grows on demand (doubling) up to the model's context length, so short prompts do not
/// pay for an 8k-token cache.
final class KVCache {
    let layerCount: Int
    let rowLength: Int
    let maximumLength: Int
    private(set) var capacity = 0
    /// The token ids whose keys and values are stored, position by position.
    private(set) var tokens: [Int] = []
    private var keys: [UnsafeMutablePointer<UInt16>] = []
    private var values: [UnsafeMutablePointer<UInt16>] = []

    init(layerCount: Int, rowLength: Int, maximumLength: Int) {
        self.layerCount = layerCount
        self.rowLength = rowLength
        self.maximumLength = maximumLength
    }

    deinit { release() }

    var count: Int { tokens.count }

    /// Makes room for `length` positions.
    func reserve(_ length: Int) throws {
        guard length <= maximumLength else {
            throw AssayError(
                "the text needs \(length) tokens but the context holds \(maximumLength); "
                    + "shorten the prompt or ask for fewer new tokens")
        }
        guard length > capacity else { return }
        let newCapacity = min(maximumLength, max(length, capacity * 2, 256))
        let newKeys = (0..<layerCount).map { _ in UnsafeMutablePointer<UInt16>.allocate(capacity: newCapacity * rowLength) }
        let newValues = (0..<layerCount).map { _ in UnsafeMutablePointer<UInt16>.allocate(capacity: newCapacity * rowLength) }
        for layer in 0..<keys.count {
            newKeys[layer].update(from: keys[layer], count: tokens.count * rowLength)
            newValues[layer].update(from: values[layer], count: tokens.count * rowLength)
        }
        release()
        keys = newKeys
        values = newValues
        capacity = newCapacity
    }

    private func release() {
        for buffer in keys + values { buffer.deallocate() }
        keys = []
        values = []
    }

    func keys(layer: Int) -> UnsafeMutablePointer<UInt16> { keys[layer] }
    func values(layer: Int) -> UnsafeMutablePointer<UInt16> { values[layer] }

    /// Records that the keys and values of `newTokens` were written after the current ones.
    func append(_ newTokens: ArraySlice<Int>) {
        tokens.append(contentsOf: newTokens)
    }

    /// How much of a prompt whose first `shared` tokens are cached may be reused: all but its
    /// last two tokens. The logits after the last are needed, and a lone token would be summed in
    /// the single-token order, unlike in a fresh prompt.
    static func reusableLength(shared: Int, promptLength: Int) -> Int {
        max(0, min(shared, promptLength - 2))
    }

    /// Forgets every position from `length` on.
    func truncate(to length: Int) {
        if length < tokens.count { tokens.removeLast(tokens.count - length) }
    }

    /// Makes this cache a copy of the first `length` positions of `other` (all by default): beam
    /// search forks a beam this way, and batched decoding starts a sequence from the shared prefix.
    func copy(from other: KVCache, length: Int? = nil) throws {
        let length = min(length ?? other.count, other.count)
        try reserve(length)
        for layer in 0..<layerCount where length > 0 {
            keys[layer].update(from: other.keys[layer], count: length * rowLength)
            values[layer].update(from: other.values[layer], count: length * rowLength)
        }
        tokens = Array(other.tokens[..<length])
    }

    /// Bytes of keys and values per position, over all layers.
    var bytesPerPosition: Int { 2 * layerCount * rowLength * MemoryLayout<UInt16>.size }
}
