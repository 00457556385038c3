import DataPrep
import Foundation

/// A sequential model: an optional name and input shape, and its layers in order.
///
/// Written as text, one comma-separated item per layer (see `init(parsing:)`), or as JSON
/// (`{"name": ..., "input": {...}, "layers": [LayerSpec...]}`, or a bare array of layers).
public struct ModelSpec: Codable, Equatable, Sendable {
    public var name: String?
    public var input: TensorShape?
    public var layers: [LayerSpec]

    public init(name: String? = nil, input: TensorShape? = nil, layers: [LayerSpec]) {
        self.name = name; self.input = input; self.layers = layers
    }

    /// A preset name (`fashion-alexnet`, …), a path to a JSON file, inline JSON, or spec text.
    public static func resolve(_ text: String) throws -> ModelSpec {
        if let preset = ModelPreset(rawValue: text) { return preset.spec }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") { return try ModelSpec(json: Data(trimmed.utf8), source: "inline JSON") }
        if trimmed.hasSuffix(".json") || FileManager.default.fileExists(atPath: trimmed) {
            let bytes: [UInt8]
            do { bytes = try JSONInputLimits.standard.read(trimmed) } catch let error as DataPrepError {
                if case .limitExceeded = error { throw TrainError.invalidSpec(spec: trimmed, item: "JSON", reason: error.reason) }
                throw TrainError.invalidSpec(spec: trimmed, item: trimmed, reason: "cannot read the file")
            }
            return try ModelSpec(json: Data(bytes), source: trimmed)
        }
        return try ModelSpec(parsing: trimmed)
    }

    /// Decodes the JSON form; `source` names it in errors.
    public init(json: Data, source: String) throws {
        // Refused before JSONDecoder recurses into a hostile document.
        do throws(DataPrepError) { try JSONInputLimits.standard.check(json, path: source) } catch {
            throw TrainError.invalidSpec(spec: source, item: "JSON", reason: error.reason)
        }
        // Decoded as written first, then checked layer by layer, so the errors name `source`.
        let decoder = JSONDecoder()
        let written: WrittenForm
        do {
            if let object = try? decoder.decode(WrittenForm.self, from: json) {
                written = object
            } else {
                written = WrittenForm(layers: try decoder.decode([LayerFields].self, from: json))
            }
        } catch {
            throw TrainError.invalidSpec(spec: source, item: "JSON", reason: "\(error)")
        }
        self.init(name: written.name, input: written.input,
                  layers: try written.layers.map { try LayerSpec(fields: $0, spec: source) })
    }

    /// The JSON object form before its layers are checked.
    private struct WrittenForm: Decodable {
        var name: String?
        var input: TensorShape?
        var layers: [LayerFields]
    }

    /// The JSON form, pretty-printed with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Adds Keras kernel regularizers to every conv and dense layer that has none of its own.
    public func withDefaultRegularizers(l1: Float?, l2: Float?) -> ModelSpec {
        var copy = self
        for i in copy.layers.indices {
            switch copy.layers[i] {
            case .conv(var s): s.weights.fillUnset(l1: l1, l2: l2); copy.layers[i] = .conv(s)
            case .dense(var s): s.weights.fillUnset(l1: l1, l2: l2); copy.layers[i] = .dense(s)
            default: break
            }
        }
        return copy
    }
}
