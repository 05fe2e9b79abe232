import Synchronization

/// Hands out the pieces of `0..<total` to whichever worker asks next. Static halves leave one
/// thread waiting whenever the other runs slower (a busier vCPU on a shared host, later positions
/// in causal attention); taking small pieces from a shared counter keeps both busy to the end.
final class WorkQueue: Sendable {
    private let next = Atomic<Int>(0)
    private let total: Int
    private let pieceSize: Int

    init(total: Int, pieceSize: Int) {
        self.total = total
        self.pieceSize = max(1, pieceSize)
    }

    /// The next piece, or nil when everything has been handed out.
    func take() -> Range<Int>? {
        let start = next.wrappingAdd(pieceSize, ordering: .relaxed).oldValue
        guard start < total else { return nil }
        return start..<min(total, start + pieceSize)
    }
}
