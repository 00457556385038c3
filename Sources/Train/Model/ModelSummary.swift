import Foundation

/// A Keras-style description of a built network: one row per layer, then the totals.
public struct ModelSummary: Codable, Sendable {
    public struct Row: Codable, Sendable {
        /// Keras-style instance name (`conv2d`, `conv2d_1`, …).
        public var name: String
        /// Keras class (`Conv2D`).
        public var type: String
        /// Checkpoint tensor prefix (`layers.0.conv`).
        public var path: String
        public var spec: String
        public var outputShape: [Int]
        public var parameters: Int
        public var trainable: Bool
    }

    public var name: String
    public var input: [Int]
    public var layers: [Row]
    public var totalParameters: Int
    public var trainableParameters: Int
    public var nonTrainableParameters: Int
    public var forwardFLOPs: Int

    public init(network: Network) {
        name = network.spec.name ?? "sequential"
        input = network.inputShape.dimensions
        var seen: [String: Int] = [:]
        layers = zip(network.layerSummaries, network.spec.layers).map { summary, spec in
            let base = Self.kerasName(spec.kerasType)
            let n = seen[base, default: 0]
            seen[base] = n + 1
            return Row(name: n == 0 ? base : "\(base)_\(n)", type: spec.kerasType, path: summary.path, spec: spec.text,
                       outputShape: summary.output.dimensions, parameters: summary.parameters, trainable: spec.isTrainable)
        }
        totalParameters = network.parameters.count
        trainableParameters = network.parameters.trainableCount
        nonTrainableParameters = network.parameters.nonTrainableCount
        forwardFLOPs = network.forwardFLOPs
    }

    static func kerasName(_ type: String) -> String {
        switch type {
        case "Conv2D": return "conv2d"
        case "MaxPooling2D": return "max_pooling2d"
        case "AveragePooling2D": return "average_pooling2d"
        case "BatchNormalization": return "batch_normalization"
        default: return type.lowercased()
        }
    }

    /// The table as Keras prints it.
    public var text: String {
        func grouped(_ n: Int) -> String {
            let s = String(n)
            var out = ""
            for (i, ch) in s.reversed().enumerated() { if i > 0 && i % 3 == 0 { out.append(",") }; out.append(ch) }
            return String(out.reversed())
        }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        let rule = String(repeating: "_", count: 78), thick = String(repeating: "=", count: 78)
        var lines = ["Model: \"\(name)\"  input \(input.map(String.init).joined(separator: "x"))", rule,
                     pad(" Layer (type)", 34) + pad("Output Shape", 24) + "Param #", thick]
        for (i, row) in layers.enumerated() {
            let shape = "(None, " + row.outputShape.map(String.init).joined(separator: ", ") + ")"
            lines.append(pad(" \(row.name) (\(row.type))", 34) + pad(shape, 24) + grouped(row.parameters)
                         + (row.trainable ? "" : "  (frozen)"))
            if i + 1 < layers.count { lines.append("") }
        }
        lines += [thick,
                  "Total params: \(grouped(totalParameters))",
                  "Trainable params: \(grouped(trainableParameters))",
                  "Non-trainable params: \(grouped(nonTrainableParameters))",
                  rule]
        return lines.joined(separator: "\n")
    }
}
