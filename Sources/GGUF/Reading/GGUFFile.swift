import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated GGUF file held in anonymous memory.
///
/// The file is read, not mmapped: page-cache eviction on the measurement VMs makes mmapped
/// timings swing 5-60x. Immutable after init (the buffer is written once, then only read), which
/// is why the unchecked `Sendable` is sound.
public final class GGUFFile: @unchecked Sendable {
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensors in file order.
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// The absolute byte offset where the tensor data section starts.
    public let dataOffset: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let tensorIndex: [String: Int]

    /// Reads and validates the file at `url`; errors name the file and the byte offset.
    public convenience init(contentsOf url: URL) throws {
        let storage = try GGUFFile.readWholeFile(at: url.path)
        do {
            try self.init(taking: storage)
        } catch let error as GGUFError {
            throw error.located(in: url.path)
        }
    }

    /// Validates `bytes` (a copy is kept).
    public convenience init(bytes: [UInt8]) throws {
        let storage = GGUFFile.allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, let target = storage.baseAddress {
                target.copyMemory(from: base, byteCount: source.count)
            }
        }
        try self.init(taking: storage)
    }

    /// Takes ownership of `storage`, freeing it if validation fails.
    private init(taking storage: UnsafeMutableRawBufferPointer) throws {
        let layout: GGUFParser.Layout
        do {
            layout = try GGUFParser.parse(UnsafeRawBufferPointer(storage))
        } catch {
            storage.deallocate()
            throw error
        }
        self.storage = storage
        version = layout.version
        metadata = layout.metadata
        metadataKeys = layout.metadataKeys
        tensors = layout.tensors
        alignment = layout.alignment
        dataOffset = layout.dataOffset
        tensorIndex = Dictionary(layout.tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { storage.deallocate() }

    public var fileSize: Int { storage.count }

    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of one tensor of this file; valid for the lifetime of the file object.
    public func tensorBytes(_ info: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let start = dataOffset + info.offset
        precondition(info.offset >= 0 && start + info.byteCount <= storage.count,
                     "tensor \(info.name) does not belong to this GGUF file")
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[start..<start + info.byteCount])
    }

    /// Dequantizes one tensor to Float (reference speed; the engine has faster kernels).
    public func floats(_ info: GGUFTensorInfo) throws -> [Float] {
        try TensorCodec.dequantize(info.type, tensorBytes(info), count: info.elementCount)
    }

    /// 64-byte aligned so that aligned tensor offsets give aligned addresses for SIMD kernels.
    private static func allocate(_ count: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 64)
    }

    private static func readWholeFile(at path: String) throws -> UnsafeMutableRawBufferPointer {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw GGUFError("\(path): cannot open the model file: \(String(cString: strerror(errno))); "
                + "check the path")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError("\(path): not a regular file; pass the path of a .gguf model file")
        }
        let size = Int(status.st_size)
        let storage = allocate(size)
        var done = 0
        while done < size, let base = storage.baseAddress {
            let count = read(descriptor, base + done, size - done)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                storage.deallocate()
                throw GGUFError("\(path): reading failed after \(done) of \(size) bytes"
                    + (count < 0 ? ": \(String(cString: strerror(errno)))" : " (the file shrank while reading)"))
            }
            done += count
        }
        return storage
    }
}
