import AssayCore
import AssaySandbox
import AssayStore
import AssaySupport
import Foundation

/// One session of a run, as `assay run` and `assay demo` start it: plans a new run (or continues an
/// unfinished one), sets up energy measurement and the backend, predicts the remaining items, and
/// records the run's CO2. What happens is reported through `onEvent`; nothing is printed here.
public struct RunSession: Sendable {
    /// Which run to work on.
    public enum Start: Sendable {
        /// The run these settings describe: the newest unfinished one with the same settings, else a new one.
        case plan(RunPlanner.Request)
        /// Run `id`, continued exactly as it was started.
        case resume(id: RunID)
    }

    /// Everything a session needs besides the store.
    public struct Request: Sendable {
        public var start: Start
        /// Embedded engine threads; also sent to a server (Ollama's num_thread) when given. Nil: every
        /// core for the engine (`BackendFactory.defaultThreads`), nothing for a server; a resumed run
        /// keeps the count it was started with.
        public var threads: Int?
        /// Server timeout and streaming; its `threads` is replaced by the count `threads` resolves to.
        public var backend: BackendFactory.Options
        /// Requests in flight at once (servers only).
        public var concurrency: Int
        public var retry: RetryPolicy
        /// A resumed run keeps the server location it was started with unless this names one.
        public var energy: RunEnergySetup.Request
        public var carbon: CarbonSettings
        /// Run a code task's programs with resource limits only where the kernel refuses the sandbox's namespaces.
        public var allowUnsandboxed: Bool
        /// The Python 3 interpreter a code task's programs run with.
        public var python: String

        public init(
            start: Start, threads: Int?, backend: BackendFactory.Options = BackendFactory.Options(), concurrency: Int = 1,
            retry: RetryPolicy = RetryPolicy(), energy: RunEnergySetup.Request, carbon: CarbonSettings, allowUnsandboxed: Bool = false,
            python: String = "python3"
        ) {
            self.allowUnsandboxed = allowUnsandboxed
            self.python = python
            self.start = start
            self.threads = threads
            self.backend = backend
            self.concurrency = concurrency
            self.retry = retry
            self.energy = energy
            self.carbon = carbon
        }
    }

    public enum Event: Sendable {
        /// The run is planned; `alreadyDone` of its selected items were predicted by earlier sessions.
        case planned(RunPlan, alreadyDone: Int)
        /// The executor's progress.
        case run(RunEvent)
    }

    /// How the session ended, with what a summary needs.
    public struct Result: Sendable {
        public let plan: RunPlan
        public let outcome: RunSessionOutcome
        /// The run as stored after the session (its whole duration, energy and CO2).
        public let run: RunRecord
        /// Predictions stored for the run over all its sessions.
        public let storedCount: Int
        /// A fleet's part per server over all the run's sessions, every server in the model's order
        /// (with the reason where this session dropped it); empty for one server or the engine.
        public let endpoints: [EndpointTally]
    }

    public let store: AssayStore

    public init(store: AssayStore) {
        self.store = store
    }

    /// Runs the session. `stopRequested` is polled before each new item (see `RunExecutor`). A
    /// failure after the run was created marks it failed and says how to continue it.
    public func run(
        _ request: Request, stopRequested: @escaping @Sendable () -> Bool = { false },
        onEvent: @escaping @Sendable (Event) -> Void
    ) async throws -> Result {
        let planner = RunPlanner(store: store)
        let plan: RunPlan
        let backend: any InferenceBackend
        let energy: RunEnergySetup
        let sandbox: CodeSandbox?
        switch request.start {
        case .resume(let id):
            plan = try planner.resume(runID: id)
            var energyRequest = request.energy
            if energyRequest.serverLocation == nil {
                energyRequest.serverLocation = plan.run.energyScope.flatMap { $0 == .inProcess ? nil : $0 }
            }
            energy = try RunEnergySetup(model: plan.model, request: energyRequest)
            backend = try BackendFactory.backend(
                for: plan.model,
                options: backendOptions(request, threads: request.threads ?? plan.run.threads, hyperparameters: plan.hyperparameters))
            sandbox = try Self.sandbox(for: plan.task, request: request)
        case .plan(let planRequest):
            // The backend and meter are checked before a run is created, so that a misconfiguration leaves no empty run behind.
            let registered = try store.model(named: planRequest.modelName)
            energy = try RunEnergySetup(model: registered, request: request.energy)
            let hyperparameters = try RunPlanner.hyperparameters(of: planRequest, for: registered)
            backend = try BackendFactory.backend(
                for: registered, options: backendOptions(request, threads: request.threads, hyperparameters: hyperparameters))
            try Predictor.checkSupport(of: planRequest.task, mode: planRequest.mode, by: backend)
            sandbox = try Self.sandbox(for: planRequest.task, request: request)
            plan = try planner.plan(planRequest)
        }
        // The engine's thread count is always recorded; a server gets num_thread only when asked.
        let recordedThreads = (backend as? EmbeddedBackend)?.threads ?? request.threads ?? plan.run.threads
        let predictor = try Predictor(
            backend: backend, task: plan.task, mode: plan.mode, hyperparameters: plan.hyperparameters,
            threads: recordedThreads, retry: request.retry, sandbox: sandbox)
        try store.setEnergyScope(energy.scope, runID: plan.runID)
        let executor = RunExecutor(
            store: store, runID: plan.runID, predictor: predictor,
            batchSize: plan.hyperparameters.batchSize ?? 8, concurrency: request.concurrency, meter: energy.meter)
        let done = plan.selected.count - plan.remaining.count
        onEvent(.planned(plan, alreadyDone: done))
        let outcome: RunSessionOutcome
        do {
            outcome = try await executor.execute(
                remaining: plan.remaining, alreadyDone: done, total: plan.selected.count,
                stopRequested: stopRequested, onEvent: { onEvent(.run($0)) })
        } catch {
            let kept = (try? store.predictedItemIDs(inRun: plan.runID).count) ?? 0
            throw AssayError(
                "\(error); run \(plan.runID) is marked failed and keeps its \(kept) stored predictions; run the same command again to continue it"
            )
        }
        if let tally = outcome.energy {
            try request.carbon.record(tally, runID: plan.runID, in: store)
        }
        let run = try store.run(id: plan.runID)
        return Result(
            plan: plan, outcome: outcome, run: run, storedCount: try store.predictedItemIDs(inRun: plan.runID).count,
            endpoints: try await endpointParts(of: plan.model, run: run, backend: backend))
    }

    /// Every server of a fleet model with its part of the run (none for a server that never
    /// answered) and why this session dropped it, if it did.
    private func endpointParts(of model: ModelRecord, run: RunRecord, backend: any InferenceBackend) async throws -> [EndpointTally] {
        let servers = model.servers
        guard servers.count > 1, let runID = run.id else { return [] }
        let tallies = Dictionary(uniqueKeysWithValues: try store.endpointTallies(runID: runID).map { ($0.endpoint, $0) })
        let dropped = await (backend as? FleetBackend)?.droppedServers() ?? [:]
        return servers.map { server in
            var tally =
                tallies[server.url]
                ?? EndpointTally(endpoint: server.url, predictions: 0, requestSeconds: 0, energyKwh: run.energyKwh.map { _ in 0 })
            tally.droppedBecause = dropped[server.url]
            return tally
        }
    }

    /// The sandbox a code task's tests run in, with the task's limits; nil for every other kind.
    static func sandbox(for task: TaskDefinition, request: Request) throws -> CodeSandbox? {
        guard task.kind == .code else { return nil }
        let limits = SandboxLimits(
            wallSeconds: task.code.timeoutSeconds, cpuSeconds: Int(task.code.timeoutSeconds.rounded(.up)),
            addressSpaceBytes: task.code.memoryMegabytes << 20)
        return try CodeSandbox(limits: limits, python: request.python, allowUnsandboxed: request.allowUnsandboxed)
    }

    /// `hyperparameters`' batch size goes to the embedded engine, except with beam search, which it
    /// runs one request at a time.
    private func backendOptions(_ request: Request, threads: Int?, hyperparameters: Hyperparameters) -> BackendFactory.Options {
        var options = request.backend
        options.threads = threads ?? BackendFactory.defaultThreads
        options.batchSize = (hyperparameters.beamWidth ?? 1) > 1 ? 1 : max(1, hyperparameters.batchSize ?? 1)
        options.serverConcurrency = request.concurrency
        options.retry = request.retry
        return options
    }
}
