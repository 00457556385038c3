import DataPrep
import Foundation

/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors):
/// 8-byte little-endian header length N, N bytes of JSON
/// `{"NAME": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}`
/// padded with spaces to a multiple of 8, then the tensors' little-endian bytes back to back.
/// Only F32 is written or accepted. The header is validated entirely before any data is read.
public enum SafeTensors {
    /// One tensor: name, shape and row-major values.
    public struct Tensor: Equatable, Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) { self.name = name; self.shape = shape; self.values = values }
    }

    /// The header refuses to describe more than this (a lying length must not allocate gigabytes).
    static let maxHeaderBytes = 100 << 20

    /// Encodes tensors in the given order, contiguous from offset 0 (what the Python reader requires).
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        for t in tensors {
            precondition(t.shape.reduce(1, *) == t.values.count, "tensor \(t.name): shape \(t.shape) does not hold \(t.values.count) values")
            let end = offset + t.values.count * 4
            entries.append("\(jsonString(t.name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for t in tensors {
            t.values.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: UInt32.self) { words in
                    for w in words { var le = w.littleEndian; withUnsafeBytes(of: &le) { out.append(contentsOf: $0) } }
                }
            }
        }
        return out
    }

    /// Decodes every tensor of `bytes`, in file order, plus the metadata. `path` names the file in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> (tensors: [Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> TrainError { .corruptCheckpoint(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw fail("truncated: \(bytes.count) bytes, the 8-byte header length is missing") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard length <= UInt64(maxHeaderBytes) else { throw fail("header length \(length) is implausible (limit \(maxHeaderBytes))") }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= bytes.count else {
            throw fail("truncated: header promises \(length) bytes but only \(bytes.count - 8) follow the length")
        }
        let dataLength = bytes.count - headerEnd
        // The length is already bounded; nesting is checked before JSONSerialization recurses.
        do throws(DataPrepError) {
            try JSONInputLimits(maxBytes: maxHeaderBytes).check(bytes[8..<headerEnd], path: path)
        } catch { throw fail("header: " + error.reason) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = object as? [String: Any] else { throw fail("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        var described: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
                metadata = m
                continue
            }
            guard let entry = value as? [String: Any] else { throw fail("tensor \(name): entry is not an object") }
            guard let dtype = entry["dtype"] as? String else { throw fail("tensor \(name): no dtype") }
            guard dtype == "F32" else { throw fail("tensor \(name): dtype \(dtype) is not supported (only F32)") }
            guard let shape = (entry["shape"] as? [Any])?.map({ ($0 as? NSNumber)?.intValue ?? -1 }), !shape.contains(where: { $0 < 0 }) else {
                throw fail("tensor \(name): shape must be a list of non-negative integers")
            }
            guard let offsets = (entry["data_offsets"] as? [Any])?.map({ ($0 as? NSNumber)?.intValue ?? -1 }), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else { throw fail("tensor \(name): data_offsets must be [begin, end]") }
            guard offsets[1] <= dataLength else {
                throw fail("truncated: tensor \(name) ends at data byte \(offsets[1]) but the data holds \(dataLength) bytes")
            }
            var elements = 1
            for d in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow, product <= dataLength else { throw fail("tensor \(name): shape \(shape) is larger than the file") }
                elements = product
            }
            guard offsets[1] - offsets[0] == elements * 4 else {
                throw fail("tensor \(name): shape \(shape) needs \(elements * 4) bytes but data_offsets span \(offsets[1] - offsets[0])")
            }
            described.append((name, shape, offsets[0], offsets[1]))
        }
        described.sort { $0.begin < $1.begin }
        var expected = 0
        for d in described {
            guard d.begin == expected else { throw fail("tensor \(d.name): data starts at \(d.begin), expected \(expected) (tensors must be contiguous)") }
            expected = d.end
        }
        guard expected == dataLength else { throw fail("\(dataLength - expected) bytes after the last tensor") }
        let tensors = described.map { d -> Tensor in
            var values = [Float](repeating: 0, count: (d.end - d.begin) / 4)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + d.begin)..<(headerEnd + d.end)]))
                }
            }
            #if _endian(big)
            for i in values.indices { values[i] = Float(bitPattern: UInt32(littleEndian: values[i].bitPattern)) }
            #endif
            return Tensor(name: d.name, shape: d.shape, values: values)
        }
        return (tensors, metadata)
    }

    private static func jsonString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst().dropLast())
    }
}
