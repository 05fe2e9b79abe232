import Synchronization

/// Hands out the pieces of `0..<total` to whichever worker asks next. Static halves leave one
/// thread waiting whenever the other runs slower (a busier vCPU on a shared host, later positions
/// in causal attention); taking small pieces from a shared counter keeps both busy to the end.
///
/// With several lanes the range is first split into one contiguous part per worker, and a worker
/// only takes from another's part once its own is done. Each worker then streams through
/// neighbouring memory, which the hardware prefetcher follows, instead of hopping every piece.
final class WorkQueue: Sendable {
    private let lanes: [Lane]
    private let pieceSize: Int

    private final class Lane: Sendable {
        let next: Atomic<Int>
        let end: Int

        init(_ range: Range<Int>) {
            next = Atomic(range.lowerBound)
            end = range.upperBound
        }
    }

    init(total: Int, pieceSize: Int, lanes laneCount: Int = 1) {
        let pieceSize = max(1, pieceSize)
        let pieces = (total + pieceSize - 1) / pieceSize
        let count = max(1, min(laneCount, pieces))
        self.pieceSize = pieceSize
        lanes = (0..<count).map { lane in
            Lane(WorkerPool.chunk(total, worker: lane, of: count, granularity: pieceSize))
        }
    }

    /// The next piece for `worker`, from its own lane first, or nil when everything has been handed out.
    func take(worker: Int = 0) -> Range<Int>? {
        for offset in 0..<lanes.count {
            let lane = lanes[(worker + offset) % lanes.count]
            let start = lane.next.wrappingAdd(pieceSize, ordering: .relaxed).oldValue
            if start < lane.end { return start..<min(lane.end, start + pieceSize) }
        }
        return nil
    }
}
