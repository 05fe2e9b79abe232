import Foundation
import Synchronization
import Testing

@testable import AssayEngine

/// The queue that spreads matmul row tiles and attention heads over the workers.
struct WorkQueueTests {
    /// Everything handed out once, whatever the lanes and however the workers race.
    @Test(arguments: [(total: 1000, piece: 1, lanes: 1), (1000, 7, 2), (13, 1, 4), (3, 2, 8), (0, 1, 2)])
    func everyIndexIsHandedOutExactlyOnce(total: Int, piece: Int, lanes: Int) {
        let queue = WorkQueue(total: total, pieceSize: piece, lanes: lanes)
        let taken = Mutex([Int](repeating: 0, count: total))
        let pool = WorkerPool(threadCount: lanes)
        pool.run { worker, _ in
            while let range = queue.take(worker: worker) {
                #expect(range.count <= piece && !range.isEmpty)
                taken.withLock { counts in for index in range { counts[index] += 1 } }
            }
        }
        #expect(taken.withLock { $0 } == [Int](repeating: 1, count: total))
    }

    /// A worker streams through its own contiguous part first, then helps with the others'.
    @Test func aWorkerTakesItsOwnContiguousPartBeforeAnotherLane() {
        let queue = WorkQueue(total: 10, pieceSize: 1, lanes: 2)
        let second = (0..<5).compactMap { _ in queue.take(worker: 1)?.lowerBound }
        #expect(second == [5, 6, 7, 8, 9])
        #expect(queue.take(worker: 1) == 0..<1)
        #expect(queue.take(worker: 0) == 1..<2)
    }
}
