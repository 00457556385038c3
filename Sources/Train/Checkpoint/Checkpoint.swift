import DataPrep
import Foundation

/// A saved model: weights as safetensors plus a JSON description, in one folder.
///
/// Files in the folder:
/// - `model.safetensors`: every parameter tensor, F32, named by its dotted path, row-major:
///   - `layers.{i}.conv.kernel` — shape (KH, KW, C_in, C_out) (Keras layout; PyTorch's
///     `Conv2d.weight` is `kernel.permute(3, 2, 0, 1)`), `layers.{i}.conv.bias` — (C_out)
///   - `layers.{i}.dense.kernel` — (in, out) (PyTorch's `Linear.weight` is its transpose; a dense
///     layer after `flatten` sees features in (h, w, c) order), `layers.{i}.dense.bias` — (out)
///   - `layers.{i}.batchnorm.{gamma,beta,moving_mean,moving_variance}` — (C)
///   where `i` is the 0-based index of the layer in the spec (pooling, dropout, flatten and
///   activation layers have no tensors but keep their index).
/// - `checkpoint.json`: `CheckpointInfo` (model spec, input shape, class names, normalization,
///   training config and state).
/// - `optimizer.safetensors` (training checkpoints): the optimizer's slots, named
///   `{slot}.{tensor}` (`m.layers.0.conv.kernel`, `v.…` for Adam, `velocity.…` for SGD with
///   momentum, `mean_square.…` for RMSprop); its iteration count is in the JSON.
public struct CheckpointInfo: Codable, Sendable {
    public var format = "dataprep-checkpoint"
    public var version = 1
    public var model: ModelSpec
    public var input: TensorShape
    public var classNames: [String]
    public var normalization: Normalization
    public var training: TrainingConfig?
    public var state: TrainingState?
    public var optimizerIterations: Int?
    /// Tensor names and shapes, for people reading the JSON.
    public var tensors: [String: [Int]]
    /// Parameters of the model, trainable and frozen (`model summary`'s total).
    public var parameters: Int?
    /// The training augmentation (the `Augment` pipeline's JSON form); absent when none.
    public var augmentation: JSONValue?
    /// Where the run's validation samples came from; `--resume` validates on the same ones.
    public var validation: ValidationSource?

    public init(model: ModelSpec, input: TensorShape, classNames: [String], normalization: Normalization,
                training: TrainingConfig? = nil, state: TrainingState? = nil, optimizerIterations: Int? = nil,
                tensors: [String: [Int]] = [:]) {
        self.model = model; self.input = input; self.classNames = classNames; self.normalization = normalization
        self.training = training; self.state = state; self.optimizerIterations = optimizerIterations; self.tensors = tensors
    }
}

public enum Checkpoint {
    public static let weightsFile = "model.safetensors"
    public static let infoFile = "checkpoint.json"
    public static let optimizerFile = "optimizer.safetensors"

    /// Writes the folder as a whole: the files are built in a hidden sibling and swapped in with
    /// one rename (`StagedDirectory`), so a reader, or a run killed mid-save, only ever sees the
    /// previous checkpoint or the new one, never new weights beside an old `checkpoint.json`.
    /// An existing folder is replaced only if it is empty or holds a `checkpoint.json`.
    public static func save(network: Network, info: CheckpointInfo, optimizer: Optimizer? = nil, to directory: String) throws {
        let staged = try StagedDirectory(finalPath: directory) { FileIO.exists(joinPath($0, infoFile)) }
        do {
            try write(network: network, info: info, optimizer: optimizer, to: staged.stagingPath)
            try staged.commit()
        } catch {
            staged.discard()
            throw error
        }
    }

    /// The three files of `save`, into the existing folder `directory`.
    private static func write(network: Network, info: CheckpointInfo, optimizer: Optimizer?, to directory: String) throws {
        let store = network.parameters
        let tensors = store.tensors.map { SafeTensors.Tensor(name: $0.name, shape: $0.shape, values: store.array($0)) }
        try FileIO.writeAtomically(SafeTensors.encode(tensors, metadata: ["format": "dataprep"]),
                                   to: joinPath(directory, weightsFile))
        var info = info
        info.tensors = Dictionary(uniqueKeysWithValues: store.tensors.map { ($0.name, $0.shape) })
        info.parameters = store.count
        if let optimizer {
            info.optimizerIterations = optimizer.iterations
            var slots: [SafeTensors.Tensor] = []
            for slot in optimizer.slotNames {
                let p = optimizer.slot(slot)!
                for t in store.tensors {
                    slots.append(SafeTensors.Tensor(name: "\(slot).\(t.name)", shape: t.shape,
                                                    values: Array(UnsafeBufferPointer(start: p + t.offset, count: t.count))))
                }
            }
            try FileIO.writeAtomically(SafeTensors.encode(slots), to: joinPath(directory, optimizerFile))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(Array(try encoder.encode(info)), to: joinPath(directory, infoFile))
    }

    /// Reads `checkpoint.json` of a checkpoint folder.
    public static func loadInfo(from directory: String) throws -> CheckpointInfo {
        let path = joinPath(directory, infoFile)
        let bytes: [UInt8]
        do { bytes = try JSONInputLimits.standard.read(path) } catch let error as DataPrepError {
            if case .limitExceeded = error { throw TrainError.corruptCheckpoint(path: path, reason: error.reason) }
            throw TrainError.corruptCheckpoint(path: path, reason: "cannot read it (\(error))")
        }
        return try decodeInfo(bytes, path: path)
    }

    /// Parses the bytes of a `checkpoint.json`; `path` names it in errors.
    public static func decodeInfo(_ bytes: [UInt8], path: String) throws -> CheckpointInfo {
        do throws(DataPrepError) { try JSONInputLimits.standard.check(bytes, path: path) } catch {
            throw TrainError.corruptCheckpoint(path: path, reason: error.reason)
        }
        do { return try JSONDecoder().decode(CheckpointInfo.self, from: Data(bytes)) } catch {
            throw TrainError.corruptCheckpoint(path: path, reason: "not a checkpoint description: \(error)")
        }
    }

    /// Rebuilds the network of a checkpoint folder and loads its weights (strictly).
    public static func load(from directory: String, threads: Int = 1) throws -> (network: Network, info: CheckpointInfo) {
        let info = try loadInfo(from: directory)
        let network = try Network(spec: info.model, input: info.input, seed: 0, threads: threads)
        try loadWeights(into: network, from: joinPath(directory, weightsFile))
        return (network, info)
    }

    /// Copies the tensors of a safetensors file into `network`. Strict: every model tensor must be
    /// present with its exact shape and no other tensor may be; the error names the differences.
    public static func loadWeights(into network: Network, from path: String) throws {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch {
            throw TrainError.corruptCheckpoint(path: path, reason: "cannot read it (\(error))")
        }
        let tensors = try SafeTensors.decode(bytes, path: path).tensors
        try assign(tensors, to: network.parameters, prefix: "", path: path) { $0.values + $1 }
    }

    /// Restores optimizer slots saved by `save(…optimizer:)`.
    public static func loadOptimizer(_ optimizer: Optimizer, network: Network, from directory: String, iterations: Int) throws {
        let path = joinPath(directory, optimizerFile)
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch {
            throw TrainError.corruptCheckpoint(path: path, reason: "cannot read it (\(error))")
        }
        let tensors = try SafeTensors.decode(bytes, path: path).tensors
        for slot in optimizer.slotNames {
            let mine = tensors.filter { $0.name.hasPrefix(slot + ".") }
            let p = optimizer.slot(slot)!
            try assign(mine, to: network.parameters, prefix: slot + ".", path: path) { _, offset in p + offset }
        }
        let known = Set(optimizer.slotNames.flatMap { slot in network.parameters.tensors.map { "\(slot).\($0.name)" } })
        let unexpected = tensors.map(\.name).filter { !known.contains($0) }
        if !unexpected.isEmpty { throw TrainError.tensorNamesDiffer(path: path, missing: [], unexpected: unexpected.sorted()) }
        optimizer.iterations = iterations
    }

    private static func assign(_ tensors: [SafeTensors.Tensor], to store: ParameterStore, prefix: String, path: String,
                               destination: (ParameterStore, Int) -> UnsafeMutablePointer<Float>) throws {
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let expected = store.tensors.map { prefix + $0.name }
        let missing = expected.filter { byName[$0] == nil }
        let unexpected = tensors.map(\.name).filter { !Set(expected).contains($0) }
        if !missing.isEmpty || !unexpected.isEmpty {
            throw TrainError.tensorNamesDiffer(path: path, missing: missing, unexpected: unexpected.sorted())
        }
        for t in store.tensors {
            let saved = byName[prefix + t.name]!
            guard saved.shape == t.shape else {
                throw TrainError.tensorShapeMismatch(path: path, name: prefix + t.name, expected: t.shape, found: saved.shape)
            }
        }
        for t in store.tensors {
            let saved = byName[prefix + t.name]!
            saved.values.withUnsafeBufferPointer { destination(store, t.offset).update(from: $0.baseAddress!, count: t.count) }
        }
    }
}
