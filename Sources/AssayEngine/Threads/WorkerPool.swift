import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed set of threads that run one job at a time, each with its worker index, ggml-style.
///
/// Forward passes dispatch hundreds of jobs of 10-100 µs per token, so waking threads through the
/// OS would cost more than the work: workers spin on an atomic generation counter, yielding the CPU
/// every 1024 spins (needed on a shared 2-vCPU machine), and only sleep on a condition variable
/// after a few milliseconds without work so that an idle engine does not burn a core.
public final class WorkerPool: @unchecked Sendable {
    /// The number of threads that work on each job, the caller's included.
    public let threadCount: Int
    private let shared: SharedState
    private var threads: [pthread_t] = []

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        shared = SharedState()
        for index in 1..<self.threadCount {
            let context = Unmanaged.passRetained(
                WorkerContext(shared: shared, index: index, startingGeneration: shared.currentGeneration)
            ).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { raw in
                    guard let raw else { return nil }
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw).takeRetainedValue()
                    context.shared.workerLoop(index: context.index, startingGeneration: context.startingGeneration)
                    return nil
                }, context)
            if status == 0 {
                threads.append(thread)
            } else {
                Unmanaged<WorkerContext>.fromOpaque(context).release()
            }
        }
    }

    deinit {
        shared.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// The number of threads actually running (fewer than asked only if the OS refused threads).
    private var runningCount: Int { threads.count + 1 }

    /// Runs `body(worker, workerCount)` on every thread and returns when all have finished.
    public func run(_ body: (_ worker: Int, _ workerCount: Int) -> Void) {
        let count = runningCount
        if count == 1 {
            body(0, 1)
            return
        }
        withoutActuallyEscaping(body) { job in
            shared.start(job: { job($0, count) }, workers: count - 1)
            job(0, count)
            shared.waitForWorkers()
        }
    }

    /// Splits `0..<total` into contiguous chunks, one per worker, aligned to `granularity`.
    public static func chunk(_ total: Int, worker: Int, of workers: Int, granularity: Int = 1) -> Range<Int> {
        let units = (total + granularity - 1) / granularity
        let start = min(total, units * worker / workers * granularity)
        let end = min(total, units * (worker + 1) / workers * granularity)
        return start..<end
    }
}

private final class WorkerContext {
    let shared: SharedState
    let index: Int
    let startingGeneration: Int

    init(shared: SharedState, index: Int, startingGeneration: Int) {
        self.shared = shared
        self.index = index
        self.startingGeneration = startingGeneration
    }
}

private final class SharedState: @unchecked Sendable {
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    /// Written by the caller before `generation` is bumped (release), read by workers after (acquire).
    private var job: ((Int) -> Void)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    /// How long a worker spins for new work before it sleeps.
    private static let spinNanoseconds: UInt64 = 5_000_000

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func start(job: @escaping (Int) -> Void, workers: Int) {
        self.job = job
        pending.store(workers, ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    func waitForWorkers() {
        var spins = 0
        while pending.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins & 1023 == 0 { sched_yield() }
        }
        job = nil
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    private func wakeSleepers() {
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    /// The generation a new worker starts from: the first job may be posted before the thread runs.
    var currentGeneration: Int { generation.load(ordering: .acquiring) }

    func workerLoop(index: Int, startingGeneration: Int) {
        var seen = startingGeneration
        while true {
            seen = waitForGeneration(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    private func waitForGeneration(after seen: Int) -> Int {
        var spins = 0
        var spinStart: UInt64 = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            spins += 1
            guard spins & 1023 == 0 else { continue }
            sched_yield()
            let now = Self.monotonicNanoseconds()
            if spinStart == 0 {
                spinStart = now
            } else if now - spinStart > Self.spinNanoseconds {
                sleep(until: seen)
                spinStart = 0
            }
        }
    }

    private func sleep(until seen: Int) {
        pthread_mutex_lock(mutex)
        sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen {
            pthread_cond_wait(condition, mutex)
        }
        sleepers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
