import Foundation

/// A layer of a built network named the way people name it: by its Keras-style instance name
/// (`conv2d_1`, as `dataprep model` prints), its checkpoint prefix (`layers.2.conv`) or its
/// 0-based index (`2`).
public struct LayerReference: Sendable, Equatable, Codable {
    /// 0-based position in the model spec.
    public var index: Int
    /// Keras-style instance name (`conv2d_1`).
    public var name: String
    /// Checkpoint tensor prefix (`layers.2.conv`).
    public var path: String
    public var type: LayerSpec.Kind
    public var outputShape: TensorShape

    /// Every layer of `network`, in order.
    public static func all(in network: Network) -> [LayerReference] {
        let summary = ModelSummary(network: network)
        return zip(summary.layers, network.spec.layers).enumerated().map { i, pair in
            LayerReference(index: i, name: pair.0.name, path: pair.0.path, type: pair.1.type,
                           outputShape: network.layerSummaries[i].output)
        }
    }

    /// The convolution layers: what activation maps show by default.
    public static func convolutions(in network: Network) -> [LayerReference] {
        all(in: network).filter { $0.type == .conv }
    }

    /// Resolves `names` in the order given (duplicates kept once).
    ///
    /// - Throws: `TrainError.invalidConfiguration` naming every unknown name and listing the
    ///   model's layers, so the fix is one copy-paste away.
    public static func resolve(_ names: [String], in network: Network) throws -> [LayerReference] {
        let layers = all(in: network)
        var result: [LayerReference] = [], unknown: [String] = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let match = layers.first { $0.name == name || $0.path == name || String($0.index) == name }
            guard let match else { unknown.append(name); continue }
            if !result.contains(match) { result.append(match) }
        }
        guard unknown.isEmpty else {
            let known = layers.map { "\($0.name) (\($0.path))" }.joined(separator: ", ")
            throw TrainError.invalidConfiguration(reason: "unknown layer\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); the model's layers are: \(known)")
        }
        return result
    }
}
