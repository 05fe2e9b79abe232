import AssayCore

/// A run that can be reviewed, with its model: the non-blind label and the choices of `--run`.
public struct ReviewRun: Sendable, Equatable {
    public let id: RunID
    public let modelName: String
    public let quantization: String?
    public let predictions: Int

    public init(id: RunID, modelName: String, quantization: String?, predictions: Int) {
        self.id = id
        self.modelName = modelName
        self.quantization = quantization
        self.predictions = predictions
    }
}
