/// What a run reports while it works; the command line turns these into a progress bar.
public enum RunEvent: Sendable {
    /// The unmeasured warm-up request (and, in score mode, the calibration inputs) started.
    case warmingUp
    /// The warm-up is over: the measured part starts now.
    case measuring
    /// One more prediction was made.
    case progress(RunProgress)
    /// A batch was committed to the database.
    case committed(predictions: Int)
    /// A transient failure is being retried after `delaySeconds`.
    case retrying(attempt: Int, error: BackendError, delaySeconds: Double)
}
