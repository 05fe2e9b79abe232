/// One entry of a GGUF file's tensor table.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// The shape as the file stores it: `dimensions[0]` (ne0) is the contiguous row length.
    public let dimensions: [Int]
    public let type: GGMLType
    /// The data's start relative to the tensor data section (`GGUFFile.dataOffset`).
    public let offset: Int
    public let elementCount: Int
    public let byteCount: Int

    /// Nil when the shape is empty of elements, not whole blocks per row, or overflows `Int`.
    public init?(name: String, dimensions: [Int], type: GGMLType, offset: Int) {
        guard dimensions.count <= GGUFTensorInfo.maximumDimensions,
            let first = dimensions.first, first % type.blockSize == 0
        else { return nil }
        var elements = 1
        for dimension in dimensions {
            guard dimension > 0 else { return nil }
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            elements = product
        }
        guard let bytes = type.byteCount(elements: elements) else { return nil }
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        self.elementCount = elements
        self.byteCount = bytes
    }

    /// ggml's GGML_MAX_DIMS.
    public static let maximumDimensions = 4

    /// The number of rows: every dimension after ne0 multiplied.
    public var rowCount: Int { elementCount / (dimensions.first ?? 1) }
}
