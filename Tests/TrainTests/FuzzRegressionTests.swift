import DataPrep
import Foundation
import Testing
@testable import Train

/// `Checkpoint.decodeInfo`, the bytes entry point the checkpoint fuzz target drives, against
/// the file-based `loadInfo`: same description, and corrupt bytes named by the caller's path.
@Suite struct FuzzRegressionTests {
    @Test func decodeInfoReadsWhatSaveWrote() throws {
        let spec = try ModelSpec(parsing: "conv 2 3 same relu, flatten, dense 3 softmax")
        let info = CheckpointInfo(model: spec, input: TensorShape(height: 4, width: 4, channels: 1), classNames: ["x", "y", "z"],
                                  normalization: .standard(mean: [0.25], std: [0.5]), optimizerIterations: 7)
        let bytes = Array(try JSONEncoder().encode(info))
        let decoded = try Checkpoint.decodeInfo(bytes, path: "mem/checkpoint.json")
        #expect(decoded.model == spec)
        #expect(decoded.input == TensorShape(height: 4, width: 4, channels: 1))
        #expect(decoded.classNames == ["x", "y", "z"])
        #expect(decoded.normalization == .standard(mean: [0.25], std: [0.5]))
        #expect(decoded.optimizerIterations == 7)
    }

    @Test(arguments: [Array("{\"format\": \"dataprep-checkpoint\"".utf8), [0xff, 0xfe, 0x00], Array("[]".utf8)])
    func corruptInfoIsACorruptCheckpointNamingThePath(bytes: [UInt8]) {
        do {
            _ = try Checkpoint.decodeInfo(bytes, path: "mem/checkpoint.json")
            Issue.record("decoded \(bytes)")
        } catch let TrainError.corruptCheckpoint(path, reason) {
            #expect(path == "mem/checkpoint.json")
            #expect(reason.hasPrefix("not a checkpoint description"))
        } catch {
            Issue.record("expected .corruptCheckpoint, got \(error)")
        }
    }

    // MARK: findings of the modelspec fuzz target

    /// The modelspec target's finding, as found: `maxpool relu same` parsed, the relu was kept
    /// on a layer that never applies it and dropped from `text`, so the spec did not round-trip.
    @Test func optionsALayerDoesNotUseAreRefused() {
        let cases: [(text: String, item: String, reason: String)] = [
            ("maxpool  relu same, maxpool 2, ", "maxpool  relu same", "maxpool takes no activation: add it as a layer of its own, e.g. \"maxpool …, relu\""),
            ("dropout 0.5 softmax", "dropout 0.5 softmax", "dropout takes no activation: add it as a layer of its own, e.g. \"dropout …, relu\""),
            ("flatten same", "flatten same", "flatten takes no padding (only conv and pooling do)"),
            ("dense 3 stride 2", "dense 3 stride 2", "dense takes no stride (only conv and pooling do)"),
            ("conv 4 3 momentum=0.9", "conv 4 3 momentum=0.9", "momentum= and epsilon= are batchnorm options"),
        ]
        for c in cases {
            #expect(throws: TrainError.invalidSpec(spec: c.text, item: c.item, reason: c.reason)) { try ModelSpec(parsing: c.text) }
        }
        // What each layer does use still parses and round-trips.
        let spec = try? ModelSpec(parsing: "conv 4 3 stride 2 same relu, avgpool 3 stride 2 same, bn momentum=0.9 epsilon=0.001, dense 3 softmax")
        #expect(spec?.layers.count == 4)
        #expect(spec.flatMap { try? ModelSpec(parsing: $0.text) } == spec)
    }

    /// The modelspec target's second finding: a JSON conv with `"kernel": []` trapped (index out
    /// of range) while `validate` built the error text. Now the error names the list as given.
    @Test func jsonKernelThatIsNotTwoNumbersIsAnErrorNotATrap() {
        for (kernel, shown) in [("[]", "[]"), ("[3]", "[3]"), ("[3, 3, 3]", "[3, 3, 3]")] {
            let json = #"[{"type": "conv", "filters": 9, "kernel": "# + kernel + #", "padding": "same", "activation": "softmax"}]"#
            #expect(throws: TrainError.invalidSpec(spec: "k.json", item: "conv 9 \(shown) same softmax",
                                                   reason: "conv needs a kernel [h, w] > 0")) {
                try ModelSpec(json: Data(json.utf8), source: "k.json")
            }
        }
    }
}
