import AssaySupport
import CKernels
import GGUF

/// A weight matrix inside the model file: `rows` rows of `columns` elements of one block type.
///
/// It points into the `GGUFFile`'s memory, which the owning `EngineModel` keeps alive and never
/// changes, hence the unchecked `Sendable`.
struct WeightMatrix: @unchecked Sendable {
    let name: String
    let type: GGMLType
    let columns: Int
    let rows: Int
    let rowBytes: Int
    let base: UnsafeRawPointer

    init(file: GGUFFile, name: String, columns: Int, rows: Int, source: String) throws {
        guard let info = file.tensor(named: name) else {
            throw AssayError("\(source): tensor \(name) is missing; the file is not a complete model")
        }
        guard info.dimensions.count <= 2, info.dimensions.first == columns, info.rowCount == rows else {
            throw AssayError("\(source): tensor \(name) has shape \(info.dimensions), expected [\(columns), \(rows)]")
        }
        guard ck_type_supported(Int32(info.type.rawValue)) != 0, columns % 32 == 0 || !info.type.isQuantized,
            let rowBytes = info.type.byteCount(elements: columns)
        else {
            throw AssayError(
                "\(source): tensor \(name) has type \(info.type.name), which the engine cannot multiply; "
                    + "supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K")
        }
        guard let base = file.tensorBytes(info).baseAddress else {
            throw AssayError("\(source): tensor \(name) has no data")
        }
        self.name = name
        self.type = info.type
        self.columns = columns
        self.rows = rows
        self.rowBytes = rowBytes
        self.base = base
    }

    var kernelType: Int32 { Int32(type.rawValue) }

    /// Row `index` as Float values (embedding lookups).
    func row(_ index: Int, into output: UnsafeMutableBufferPointer<Float>) {
        let bytes = UnsafeRawBufferPointer(start: base + index * rowBytes, count: rowBytes)
        try? TensorCodec.dequantize(type, bytes, into: output)
    }
}

/// A one-dimensional F32 tensor (norm weights, biases), copied out of the file.
struct WeightVector: Sendable {
    let values: [Float]

    init(file: GGUFFile, name: String, count: Int, source: String) throws {
        guard let info = file.tensor(named: name) else {
            throw AssayError("\(source): tensor \(name) is missing; the file is not a complete model")
        }
        guard info.elementCount == count else {
            throw AssayError("\(source): tensor \(name) has \(info.elementCount) elements, expected \(count)")
        }
        values = try TensorCodec.dequantize(info.type, file.tensorBytes(info), count: count)
    }

    static func optional(file: GGUFFile, name: String, count: Int, source: String) throws -> WeightVector? {
        file.tensor(named: name) == nil ? nil : try WeightVector(file: file, name: name, count: count, source: source)
    }
}
