import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT) as a flag: the first press asks the run to stop after the items in flight,
/// a second press exits at once (the last committed batch is safe either way).
///
/// `source` is set once in init and only cancelled in deinit; the flag is atomic. That is why the
/// unchecked `Sendable` is sound.
final class InterruptSignal: @unchecked Sendable {
    private let requested = Atomic<Bool>(false)
    private let source: DispatchSourceSignal

    init(onFirst: @escaping @Sendable () -> Void) {
        // A parent may have blocked SIGINT (the mask is inherited); the handler must receive it.
        var interruptOnly = sigset_t()
        sigemptyset(&interruptOnly)
        sigaddset(&interruptOnly, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interruptOnly, nil)
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if requested.exchange(true, ordering: .sequentiallyConsistent) {
                exit(130)
            }
            onFirst()
        }
        source.resume()
    }

    var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
