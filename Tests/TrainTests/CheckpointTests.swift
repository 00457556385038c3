import DataPrep
import Foundation
import Testing
@testable import Train

@Suite struct CheckpointTests {
    let directory = NSTemporaryDirectory() + "train-ckpt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let spec = "conv 4 3 same relu, batchnorm, maxpool 2, flatten, dense 3 softmax"
    let input = TensorShape(height: 6, width: 6, channels: 2)

    func saved() throws -> Network {
        let net = try Network(spec: ModelSpec(parsing: spec), input: input, seed: 9)
        try Checkpoint.save(network: net, info: CheckpointInfo(model: net.spec, input: input, classNames: ["a", "b", "c"],
                                                               normalization: .standard(mean: [0.5, 0.4], std: [0.2, 0.3])),
                            to: directory)
        return net
    }

    @Test func roundTripRestoresWeightsAndDescription() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let net = try saved()
        let (loaded, info) = try Checkpoint.load(from: directory)
        #expect(info.classNames == ["a", "b", "c"])
        #expect(info.normalization == .standard(mean: [0.5, 0.4], std: [0.2, 0.3]))
        for t in net.parameters.tensors { #expect(loaded.values(t.name) == net.values(t.name), "\(t.name)") }
        #expect(Set(info.tensors.keys) == Set(net.parameters.tensors.map(\.name)))
        #expect(info.tensors["layers.0.conv.kernel"] == [3, 3, 2, 4])
        #expect(info.tensors["layers.1.batchnorm.moving_variance"] == [4])
    }

    @Test func strictLoadNamesMissingUnexpectedAndMisshapenTensors() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try saved()
        let path = joinPath(directory, Checkpoint.weightsFile)
        let other = try Network(spec: ModelSpec(parsing: "conv 4 3 same relu, maxpool 2, flatten, dense 3 softmax, dense 2"), input: input, seed: 0)
        do { try Checkpoint.loadWeights(into: other, from: path); Issue.record("expected an error") } catch let error as TrainError {
            guard case let .tensorNamesDiffer(_, missing, unexpected) = error else { Issue.record("\(error)"); return }
            // Saved: conv 0, batchnorm 1, dense 4. Expected: conv 0, dense 3, dense 4.
            #expect(missing == ["layers.3.dense.kernel", "layers.3.dense.bias"])
            #expect(unexpected == ["layers.1.batchnorm.beta", "layers.1.batchnorm.gamma", "layers.1.batchnorm.moving_mean", "layers.1.batchnorm.moving_variance"])
        }
        let wider = try Network(spec: ModelSpec(parsing: "conv 5 3 same relu, batchnorm, maxpool 2, flatten, dense 3 softmax"), input: input, seed: 0)
        #expect(throws: TrainError.tensorShapeMismatch(path: path, name: "layers.0.conv.kernel", expected: [3, 3, 2, 5], found: [3, 3, 2, 4])) {
            try Checkpoint.loadWeights(into: wider, from: path)
        }
    }

    @Test func corruptFilesGiveTypedErrors() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let net = try saved()
        let path = joinPath(directory, Checkpoint.weightsFile)
        let good = try FileIO.read(path)
        func expectCorrupt(_ bytes: [UInt8], _ fragment: String) {
            do { _ = try SafeTensors.decode(bytes, path: "x.safetensors"); Issue.record("expected an error for \(fragment)") } catch let error as TrainError {
                guard case let .corruptCheckpoint(p, reason) = error else { Issue.record("\(error)"); return }
                #expect(p == "x.safetensors")
                #expect(reason.contains(fragment), "\(reason)")
            } catch { Issue.record("\(error)") }
        }
        expectCorrupt([], "truncated")
        expectCorrupt(Array(good.prefix(good.count - 4)), "truncated")
        var lying = good
        lying[0] = 0xFF; lying[1] = 0xFF; lying[2] = 0xFF
        expectCorrupt(lying, "truncated")
        var huge = good
        huge[7] = 0x7F
        expectCorrupt(huge, "implausible")
        var garbage = good
        garbage[8] = UInt8(ascii: "x")
        expectCorrupt(garbage, "not a JSON object")
        expectCorrupt(good + [0, 0, 0, 0], "after the last tensor")
        let f16 = SafeTensors.encode([SafeTensors.Tensor(name: "t", shape: [1], values: [1])])
        var text = String(decoding: f16, as: UTF8.self).replacingOccurrences(of: "F32", with: "F16")
        text = String(text)
        expectCorrupt(Array(text.utf8), "F16")
        _ = net
    }

    /// The file is real safetensors: Python's `safetensors` reads it when installed; otherwise
    /// numpy parses it by the spec (header length, JSON, offsets) and compares the values.
    @Test func readableFromPython() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let net = try saved()
        let path = joinPath(directory, Checkpoint.weightsFile)
        let kernel = net.values("layers.4.dense.kernel")
        let script = """
        import json, struct, sys
        path = sys.argv[1]
        try:
            from safetensors.numpy import load_file
            t = load_file(path); how = "safetensors"
        except ImportError:
            import numpy as np
            raw = open(path, "rb").read(); n = struct.unpack("<Q", raw[:8])[0]; h = json.loads(raw[8:8 + n]); how = "numpy"
            t = {k: np.frombuffer(raw[8 + n + v["data_offsets"][0]: 8 + n + v["data_offsets"][1]], dtype="<f4").reshape(v["shape"])
                 for k, v in h.items() if k != "__metadata__"}
        k = t["layers.4.dense.kernel"]
        print(how, list(k.shape), repr(float(k[0, 0])), repr(float(k[-1, -1])), len(t))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        do { try process.run() } catch { print("skipping readableFromPython: python3 not runnable (\(error))"); return }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { print("skipping readableFromPython: python3 with numpy not available"); return }
        let fields = out.split(separator: " ")
        if fields.first == "numpy" { print("note: Python safetensors not installed; checked with numpy's manual parse instead") }
        #expect(out.contains("[36, 3]"))
        #expect(Float(fields[fields.count - 3]) == kernel.first)
        #expect(Float(fields[fields.count - 2]) == kernel.last)
        #expect(fields.last?.trimmingCharacters(in: .whitespacesAndNewlines) == "\(net.parameters.tensors.count)")
    }
}
