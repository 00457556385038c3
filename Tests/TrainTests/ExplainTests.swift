import DataPrep
import Foundation
import Testing
@testable import Train

/// Occlusion, activations and layer statistics on hand-built models whose answers are known.
@Suite struct ExplainTests {
    /// 6x8x1 input, `flatten, dense 2 softmax`: logit 0 is the sum of the pixels in rows 2...3,
    /// columns 4...5 (kernel 1 there, 0 elsewhere), logit 1 is 0. The answer depends on that
    /// region only, so occlusion must light up exactly there.
    static let region = (rows: 2...3, columns: 4...5)

    func regionModel() throws -> Network {
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense 2 softmax"),
                              input: TensorShape(height: 6, width: 8, channels: 1), seed: 1)
        var kernel = [Float](repeating: 0, count: 48 * 2)  // (in 48, out 2)
        for y in Self.region.rows { for x in Self.region.columns { kernel[(y * 8 + x) * 2] = 1 } }
        net.setValues("layers.1.dense.kernel", kernel)
        net.setValues("layers.1.dense.bias", [0, 0])
        return net
    }

    /// p(class 0) when the region's pixels sum to `s`: softmax of (s, 0).
    static func p0(_ s: Double) -> Double { exp(s) / (exp(s) + 1) }

    static func inRegion(_ y: Int, _ x: Int) -> Bool { region.rows.contains(y) && region.columns.contains(x) }

    @Test func onePixelPatchLightsUpExactlyTheRegion() throws {
        let net = try regionModel()
        let input = [Float](repeating: 1, count: 48)  // every pixel 1: the outside is not blank, just ignored
        let map = try OcclusionMap.compute(network: net, input: input, target: 0,
                                           options: .init(patch: 1, stride: 1, fill: [0], batchSize: 7))
        #expect(map.positionRows == Array(0...5) && map.positionColumns == Array(0...7))
        #expect(abs(Double(map.baseline) - Self.p0(4)) < 1e-6)
        let expected = Self.p0(4) - Self.p0(3)  // one of the four region pixels hidden
        for y in 0..<6 {
            for x in 0..<8 {
                if Self.inRegion(y, x) {
                    #expect(abs(Double(map[y: y, x: x]) - expected) < 1e-6, "(\(y), \(x))")
                } else {
                    #expect(map[y: y, x: x] == 0, "(\(y), \(x)) should be exactly 0, got \(map[y: y, x: x])")
                }
            }
        }
        #expect(map.deltas == map.values)  // a 1x1 patch covers one pixel: both views agree
        #expect(map.csv.split(separator: "\n").count == 6 && map.csv.hasPrefix("0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0\n0.0,"))
    }

    @Test func threeByThreePatchMeasuresEveryOverlap() throws {
        let net = try regionModel()
        let input = [Float](repeating: 1, count: 48)
        let map = try OcclusionMap.compute(network: net, input: input, target: 0)  // defaults: 3x3, stride 1, fill 0
        #expect(map.positionRows == [0, 1, 2, 3] && map.positionColumns == [0, 1, 2, 3, 4, 5])
        // Oracle per position: the patch hides k region pixels, so logit 0 drops from 4 to 4 - k.
        var expectedDeltas: [Double] = []
        for top in 0...3 {
            for left in 0...5 {
                let k = (top..<(top + 3)).filter { Self.region.rows.contains($0) }.count
                    * (left..<(left + 3)).filter { Self.region.columns.contains($0) }.count
                expectedDeltas.append(Self.p0(4) - Self.p0(Double(4 - k)))
                let delta = Double(map.delta(row: top, column: left))
                if k == 0 { #expect(delta == 0, "position (\(top), \(left))") } else { #expect(abs(delta - expectedDeltas.last!) < 1e-6) }
            }
        }
        // Per pixel: the mean over the patches covering it (Captum's definition).
        for y in 0..<6 {
            for x in 0..<8 {
                var sum = 0.0, n = 0
                for top in 0...3 where (top..<(top + 3)).contains(y) {
                    for left in 0...5 where (left..<(left + 3)).contains(x) { sum += expectedDeltas[top * 6 + left]; n += 1 }
                }
                #expect(abs(Double(map[y: y, x: x]) - sum / Double(n)) < 1e-6, "(\(y), \(x))")
                // Lit exactly where a patch touching the region covers the pixel. Every patch row
                // range (0...2 up to 3...5) meets rows 2...3; patch columns meet 4...5 for left
                // 2...5, which cover columns 2...7. So: lit iff x >= 2.
                #expect((map[y: y, x: x] > 0) == (x >= 2), "(\(y), \(x))")
            }
        }
        // Pixel (0, 0) is covered by one patch only, which misses the region.
        #expect(map[y: 0, x: 0] == 0 && map[y: 5, x: 1] == 0)
    }

    @Test func patchStartsCoverTheFarEdge() {
        #expect(OcclusionMap.starts(length: 8, patch: 3, stride: 2) == [0, 2, 4, 5])
        #expect(OcclusionMap.starts(length: 6, patch: 3, stride: 3) == [0, 3])
        #expect(OcclusionMap.starts(length: 5, patch: 5, stride: 1) == [0])
        #expect(OcclusionMap.starts(length: 28, patch: 3, stride: 1).count == 26)
    }

    @Test func batchSizeFillAndBinaryClassesGiveConsistentMaps() throws {
        let net = try regionModel()
        var g = TestRandom(5)
        let input = g.floats(48, 0, 1)
        let one = try OcclusionMap.compute(network: net, input: input, target: 0, options: .init(patch: 2, stride: 1, fill: [0.5], batchSize: 1))
        let many = try OcclusionMap.compute(network: net, input: input, target: 0, options: .init(patch: 2, stride: 1, fill: [0.5], batchSize: 64))
        #expect(one == many)
        // Class 1's probability is 1 - p0: the same |change|.
        let other = try OcclusionMap.compute(network: net, input: input, target: 1, options: .init(patch: 2, stride: 1, fill: [0.5]))
        #expect(maxRelativeError(other.values, one.values) < 1e-6)

        // A single sigmoid unit is two classes [1 - p, p]; class 0 moves as much as class 1.
        let binary = try Network(spec: ModelSpec(parsing: "flatten, dense 1 sigmoid"), input: TensorShape(height: 4, width: 4, channels: 1), seed: 2)
        let x = g.floats(16, 0, 1)
        let p = try OcclusionMap.compute(network: binary, input: x, target: 1, options: .init(patch: 2))
        let q = try OcclusionMap.compute(network: binary, input: x, target: 0, options: .init(patch: 2))
        #expect(abs(p.baseline + q.baseline - 1) < 1e-6)
        #expect(maxRelativeError(p.values, q.values) < 1e-5)
        #expect(p.maximum > 0)
    }

    @Test func badOcclusionSettingsAreTypedErrors() throws {
        let net = try regionModel()
        let input = [Float](repeating: 1, count: 48)
        #expect(throws: TrainError.invalidConfiguration(reason: "occlusion patch 7 does not fit the model's 6x8 input (1...6)")) {
            try OcclusionMap.compute(network: net, input: input, target: 0, options: .init(patch: 7))
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "class 2 is outside the model's 0..<2")) {
            try OcclusionMap.compute(network: net, input: input, target: 2)
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "occlusion fill has 3 values, the input has 1 channels")) {
            try OcclusionMap.compute(network: net, input: input, target: 0, options: .init(fill: [0, 0, 0]))
        }
        #expect(throws: TrainError.invalidConfiguration(reason: "occlusion stride must be at least 1, got 0")) {
            try OcclusionMap.compute(network: net, input: input, target: 0, options: .init(stride: 0))
        }
    }

    // MARK: - Layer statistics

    @Test func runningMomentsMatchHandComputedValues() {
        var m = RunningMoments()
        m.add([0, 2, 0, 4])
        m.add([1, 3])
        // values 0 2 0 4 1 3: mean 10/6; Σx² = 30, Σ(x - mean)² = 30 - 6·(10/6)² = 40/3; unbiased / 5
        #expect(m.count == 6 && m.zeros == 2)
        #expect(abs(m.mean - 10.0 / 6) < 1e-12)
        #expect(abs(m.variance! - 40.0 / 3 / 5) < 1e-12)
        #expect(abs(m.zeroFraction - 2.0 / 6) < 1e-12)
        var single = RunningMoments()
        single.add([7])
        #expect(single.variance == nil && single.mean == 7)
        // Far from zero with a tiny spread: no cancellation.
        var offset = RunningMoments()
        offset.add([10000.5, 10000.5])
        offset.add([10001.5, 10001.5])
        #expect(abs(offset.variance! - 1.0 / 3) < 1e-9)
    }

    /// 1x2x1 inputs, `flatten, dense 2 relu, dense 2 softmax`: h0 = relu(2·x0 + x1 − 1),
    /// h1 = relu(−x0 − x1) = 0 for every non-negative input (a dead unit).
    func statisticsModel() throws -> Network {
        let net = try Network(spec: ModelSpec(parsing: "flatten, dense 2 relu, dense 2 softmax"),
                              input: TensorShape(height: 1, width: 2, channels: 1), seed: 3)
        net.setValues("layers.1.dense.kernel", [2, -1, 1, -1])  // (in 2, out 2) row-major
        net.setValues("layers.1.dense.bias", [-1, 0])
        net.setValues("layers.2.dense.kernel", [0, 0, 0, 0])
        net.setValues("layers.2.dense.bias", [0, 0])
        return net
    }

    /// Bytes 0 and 255 become exactly 0 and 1 under unit normalisation.
    /// Samples (label): [0,0] (a), [255,0] (b), [255,255] (a), [255,255] (b), [0,255] (a).
    static let statisticsData = ImageDataset(height: 1, width: 2, channels: 1, pixels: [0, 0, 255, 0, 255, 255, 255, 255, 0, 255],
                                             labels: [0, 1, 0, 1, 0], classNames: ["a", "b"])

    @Test func layerStatisticsEqualHandComputedMoments() throws {
        let net = try statisticsModel()
        for batchSize in [1, 3] {
            let stats = LayerStatistics.measure(network: net, dataset: Self.statisticsData, normalization: .unit,
                                                samplesPerClass: 2, batchSize: batchSize)
            #expect(stats.rows.map(\.layer) == ["flatten", "flatten", "dense", "dense", "dense_1", "dense_1"])
            #expect(stats.rows.map(\.className) == ["a", "b", "a", "b", "a", "b"])
            #expect(stats.rows.allSatisfy { $0.samples == 2 })  // class a has 3 samples: the first 2 are taken
            func row(_ i: Int) -> LayerStatistics.Row { stats.rows[i] }
            // flatten = the inputs. a: [0,0, 1,1] mean .5, Σdev² 1, var 1/3, zeros 1/2.
            #expect(row(0).values == 4 && row(0).mean == 0.5 && abs(row(0).variance! - 1.0 / 3) < 1e-12 && row(0).zeroFraction == 0.5)
            // b: [1,0, 1,1] mean .75, Σdev² .75, var .25, zeros 1/4.
            #expect(row(1).mean == 0.75 && abs(row(1).variance! - 0.25) < 1e-12 && row(1).zeroFraction == 0.25)
            // relu layer. a: [0,0] -> (0, 0); [1,1] -> (2, 0): values 0 0 2 0, mean .5, Σdev² 3, var 1, zeros 3/4.
            #expect(row(2).mean == 0.5 && abs(row(2).variance! - 1) < 1e-12 && row(2).zeroFraction == 0.75)
            // b: [1,0] -> (1, 0); [1,1] -> (2, 0): values 1 0 2 0, mean .75, Σdev² 2.75, var 2.75/3, zeros 1/2.
            #expect(row(3).mean == 0.75 && abs(row(3).variance! - 2.75 / 3) < 1e-12 && row(3).zeroFraction == 0.5)
            // softmax of zero logits: every output exactly 0.5, variance 0, no zeros.
            #expect(row(4).mean == 0.5 && row(4).variance == 0 && row(4).zeroFraction == 0)
        }
        let stats = LayerStatistics.measure(network: net, dataset: Self.statisticsData, normalization: .unit, samplesPerClass: 2)
        let lines = stats.csv.split(separator: "\n")
        #expect(lines[0] == "layer,class,samples,mean,variance,zero_fraction")
        #expect(lines[3] == "dense,a,2,0.5,1.0,0.75")
        #expect(lines.count == 7)
        #expect(stats.text.contains("dense    a"))
    }

    @Test func sampleChoiceIsTheFirstOfEachClassAndSkipsEmptyClasses() throws {
        #expect(LayerStatistics.sampleIndices(labels: [1, 0, 1, 1, 0, 2], classes: 4, samplesPerClass: 2) == [0, 1, 2, 4, 5])
        var data = Self.statisticsData
        data.classNames = ["a", "b", "never"]
        let stats = LayerStatistics.measure(network: try statisticsModel(), dataset: data, normalization: .unit, samplesPerClass: 1)
        #expect(!stats.rows.contains { $0.className == "never" })
        // One sample per class: class a is [0, 0] alone, so its flatten values are both zero.
        #expect(stats.rows[0].samples == 1 && stats.rows[0].mean == 0 && stats.rows[0].variance == 0 && stats.rows[0].zeroFraction == 1)
    }

    // MARK: - Activations and layer names

    @Test func activationsAreTheLayerOutputsAsMaps() throws {
        // 1x1 conv with 2 filters: channel 0 = x, channel 1 = 0.5 − x.
        let net = try Network(spec: ModelSpec(parsing: "conv 2 1 valid, flatten, dense 2 softmax"),
                              input: TensorShape(height: 3, width: 3, channels: 1), seed: 4)
        net.setValues("layers.0.conv.kernel", [1, -1])
        net.setValues("layers.0.conv.bias", [0, 0.5])
        let x: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, 8]
        let layers = try LayerReference.resolve(["conv2d", "flatten"], in: net)
        let captured = LayerActivations.capture(network: net, input: x, layers: layers)
        #expect(captured.count == 2)
        let conv = captured[0]
        #expect(conv.mapCount == 2 && conv.mapSize == (3, 3))
        #expect(conv.map(0) == x)
        #expect(conv.map(1) == x.map { 0.5 - $0 })
        #expect(conv.values[0...3] == [0, 0.5, 1, -0.5])  // HWC interleaved
        let flat = captured[1]
        #expect(flat.layer.outputShape == TensorShape(features: 18))
        #expect(flat.mapCount == 1 && flat.mapSize == (1, 18) && flat.map(0) == conv.values)
    }

    @Test func layerNamesResolveByNamePathOrIndexAndUnknownOnesAreListed() throws {
        let net = try Network(spec: ModelSpec(parsing: "conv 2 3 same relu, conv 2 3 same, maxpool 2, flatten, dense 2 softmax"),
                              input: TensorShape(height: 4, width: 4, channels: 1), seed: 0)
        #expect(LayerReference.convolutions(in: net).map(\.name) == ["conv2d", "conv2d_1"])
        let resolved = try LayerReference.resolve(["conv2d_1", "layers.0.conv", " 2 ", "conv2d"], in: net)
        #expect(resolved.map(\.index) == [1, 0, 2])
        #expect(resolved[2].name == "max_pooling2d" && resolved[2].outputShape == TensorShape(height: 2, width: 2, channels: 2))
        do {
            _ = try LayerReference.resolve(["conv9", "dense", "bogus"], in: net)
            Issue.record("unknown layers must throw")
        } catch let TrainError.invalidConfiguration(reason) {
            #expect(reason.hasPrefix("unknown layers conv9, bogus; the model's layers are: conv2d (layers.0.conv), conv2d_1 (layers.1.conv),"))
            #expect(reason.hasSuffix("dense (layers.4.dense)"))
        }
    }
}
