import Foundation
import DataPrep

/// An ordered list of augmentation operations and the settings of their warp.
///
/// Geometric operations next to each other are multiplied into one sampling map and applied
/// as one warp with `interpolation` and `fillMode`/`cval` (one resampling: faster and sharper
/// than a warp per operation). A pixel operation between two geometric ones splits them into
/// two warps, so the order written is the order applied. `randomCrop` is always its own exact
/// copy with its own pad.
///
/// JSON form (`Codable`):
/// ```json
/// {"fillMode": "nearest", "cval": 0, "interpolation": "bilinear",
///  "ops": [{"op": "rotation", "degrees": 40}, {"op": "horizontalFlip"}]}
/// ```
public struct Pipeline: Equatable, Sendable {
    public var operations: [AugmentationOp]
    /// What the warp reads outside the image; Keras's default is `nearest`.
    public var fillMode: FillMode
    /// The value outside the image when `fillMode` is `constant` (Keras's `cval`).
    public var cval: UInt8
    public var interpolation: Interpolation

    public init(_ operations: [AugmentationOp] = [], fillMode: FillMode = .nearest, cval: UInt8 = 0,
                interpolation: Interpolation = .bilinear) {
        self.operations = operations; self.fillMode = fillMode; self.cval = cval; self.interpolation = interpolation
    }

    /// True when the pipeline returns every image unchanged.
    public var isEmpty: Bool { operations.isEmpty }

    /// Checks every operation's settings, naming the first bad one (`ops[1].degrees`).
    public func validate() throws(AugmentError) {
        for (i, op) in operations.enumerated() { try op.operation.validate(at: "ops[\(i)]") }
    }

    /// Decodes and validates a pipeline document; `path` names it in errors.
    public static func decode(json bytes: [UInt8], path: String) throws(AugmentError) -> Pipeline {
        // Refused before JSONDecoder recurses into a hostile document.
        do throws(DataPrepError) { try JSONInputLimits.standard.check(bytes, path: path) } catch {
            throw .invalidDocument(path: path, reason: error.reason)
        }
        do {
            return try JSONDecoder().decode(Pipeline.self, from: Data(bytes))
        } catch let error as AugmentError {
            throw .invalidDocument(path: path, reason: error.description)
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalidDocument(path: path, reason: "\(pathText(context.codingPath + [key])): missing required field")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalidDocument(path: path, reason: "\(pathText(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw .invalidDocument(path: path, reason: "\(pathText(context.codingPath)): \(underlying ?? context.debugDescription)")
        } catch {
            throw .invalidDocument(path: path, reason: "\(error)")
        }
    }

    /// Reads and decodes a pipeline file (`DataPrepError.io` when it cannot be read; a file over
    /// `JSONInputLimits.standard.maxBytes` is refused by its size before it is read).
    public static func load(path: String) throws -> Pipeline {
        let size = try FileIO.size(path)
        guard size <= JSONInputLimits.standard.maxBytes else {
            throw AugmentError.invalidDocument(path: path, reason: DataPrepError.limitExceeded(
                path: path, what: "JSON document size (bytes)", limit: JSONInputLimits.standard.maxBytes, found: size).reason)
        }
        return try decode(json: FileIO.read(path), path: path)
    }

    /// The pipeline as pretty-printed JSON with sorted keys (stable bytes for the same pipeline).
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain numbers, strings and enums cannot fail.
        return (try? Array(encoder.encode(self))) ?? []
    }
}

extension Pipeline: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case operations = "ops", fillMode, cval, interpolation
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let allowed = CodingKeys.allCases.map(\.stringValue)
        for key in keys.sorted() where !allowed.contains(key) {
            throw AugmentError.unknownField(at: "pipeline", field: key, allowed: allowed)
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        operations = try c.decode([AugmentationOp].self, forKey: .operations)
        fillMode = try c.decodeIfPresent(FillMode.self, forKey: .fillMode) ?? .nearest
        cval = try c.decodeIfPresent(UInt8.self, forKey: .cval) ?? 0
        interpolation = try c.decodeIfPresent(Interpolation.self, forKey: .interpolation) ?? .bilinear
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(operations, forKey: .operations)
        try c.encode(fillMode, forKey: .fillMode)
        try c.encode(cval, forKey: .cval)
        try c.encode(interpolation, forKey: .interpolation)
    }
}
