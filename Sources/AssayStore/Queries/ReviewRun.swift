/// A run that can be reviewed, with its model: the non-blind label and the choices of `--run`.
public struct ReviewRun: Sendable, Equatable {
    public let id: Int64
    public let modelName: String
    public let quantization: String?
    public let predictions: Int

    public init(id: Int64, modelName: String, quantization: String?, predictions: Int) {
        self.id = id
        self.modelName = modelName
        self.quantization = quantization
        self.predictions = predictions
    }
}
