import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request's delegate: collects the body and fails the request when no byte arrives for
/// `idleTimeout` seconds (a streamed answer may take long in total, but never stalls).
///
/// `URLSession.bytes(for:)` does not exist on Linux, hence a delegate. The lock guards every
/// mutable field, which is why the unchecked `Sendable` is sound.
final class HTTPExchange: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var status = 0
    private var body = Data()
    private var lastActivity = DispatchTime.now()
    private var timedOut = false
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var watchdog: DispatchSourceTimer?
    private let idleTimeout: Double
    private let describeTimeout: @Sendable () -> BackendError

    init(idleTimeout: Double, describeTimeout: @escaping @Sendable () -> BackendError) {
        self.idleTimeout = idleTimeout
        self.describeTimeout = describeTimeout
    }

    /// Sends `request` through a session owned by this exchange and waits for the whole answer.
    func perform(_ request: URLRequest) async throws -> HTTPResponse {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout + 5
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                lock.lock()
                self.continuation = continuation
                lastActivity = .now()
                lock.unlock()
                startWatchdog(cancelling: task)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
    }

    private func startWatchdog(cancelling task: URLSessionDataTask) {
        let timer = DispatchSource.makeTimerSource(queue: .global())
        let interval = min(0.1, idleTimeout / 4)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            lock.lock()
            let idle = Double(DispatchTime.now().uptimeNanoseconds - lastActivity.uptimeNanoseconds) / 1e9
            let expired = idle > idleTimeout && !timedOut
            if expired { timedOut = true }
            lock.unlock()
            if expired { task.cancel() }
        }
        lock.lock()
        watchdog = timer
        lock.unlock()
        timer.resume()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        lastActivity = .now()
        lock.unlock()
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        body.append(data)
        lastActivity = .now()
        lock.unlock()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        watchdog?.cancel()
        watchdog = nil
        let waiting = continuation
        continuation = nil
        let result: Result<HTTPResponse, any Error>
        if timedOut {
            result = .failure(describeTimeout())
        } else if let error {
            result = .failure(error)
        } else {
            result = .success(HTTPResponse(status: status, body: body))
        }
        lock.unlock()
        waiting?.resume(with: result)
    }
}
