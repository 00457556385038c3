/// Occlusion sensitivity (Zeiler & Fergus, "Visualizing and Understanding Convolutional
/// Networks", 2014): hide one square patch of the input at a time and measure how far the
/// probability of one class moves, `|p(class) − p_occluded(class)|`. Regions the answer depends
/// on light up; regions it ignores stay exactly zero.
///
/// Two views of the same measurements are kept:
/// - `deltas`, one per patch position (the raw grid, `positionRows x positionColumns`);
/// - `values`, one per input pixel: the mean of the deltas of every patch that covers it
///   (Captum's `Occlusion` attribution), so the map has the input's size and can be laid over it.
///
/// Patches start at `0, stride, 2·stride, …` along each axis, plus one flush with the far edge
/// when the stride does not land there, so every pixel is covered by at least one patch.
public struct OcclusionMap: Sendable, Equatable {
    /// How the patch slides.
    public struct Options: Sendable, Equatable {
        /// Patch side in pixels (default 3, the users' lab setting).
        public var patch: Int
        /// Step between patch positions in pixels (default 1).
        public var stride: Int
        /// What hidden pixels become, per input channel, already normalised the way the model's
        /// inputs are (black is `normalization` of byte 0); one value is used for every channel.
        public var fill: [Float]
        /// Samples per forward pass (the unoccluded input plus `batchSize − 1` occluded copies,
        /// at least one); maps agree across values to float rounding (about 1e-7).
        public var batchSize: Int

        public init(patch: Int = 3, stride: Int = 1, fill: [Float] = [0], batchSize: Int = 64) {
            self.patch = patch; self.stride = stride; self.fill = fill; self.batchSize = batchSize
        }
    }

    public let height: Int
    public let width: Int
    /// The class whose probability was watched.
    public let target: Int
    /// `p(target)` of the unoccluded input.
    public let baseline: Float
    /// Top rows and left columns of the patch positions.
    public let positionRows: [Int]
    public let positionColumns: [Int]
    /// `|p − p_occluded|` per position, row-major over (`positionRows`, `positionColumns`).
    public let deltas: [Float]
    /// Per input pixel, row-major `height x width`: the mean delta of the patches covering it.
    public let values: [Float]

    /// The heat at pixel (`y`, `x`).
    public subscript(y y: Int, x x: Int) -> Float { values[y * width + x] }

    /// The delta of the patch whose top-left corner is position (`row`, `column`) of the grid.
    public func delta(row: Int, column: Int) -> Float { deltas[row * positionColumns.count + column] }

    /// The largest heat (0 for a model that ignores its input).
    public var maximum: Float { values.max() ?? 0 }

    /// Patch starts along an axis of `length` pixels: every `stride`, plus the last flush start.
    public static func starts(length: Int, patch: Int, stride: Int) -> [Int] {
        precondition(patch >= 1 && patch <= length && stride >= 1, "patch \(patch), stride \(stride) on \(length) pixels")
        var result = Array(Swift.stride(from: 0, through: length - patch, by: stride))
        if result.last != length - patch { result.append(length - patch) }
        return result
    }

    /// Measures the map for one normalised sample.
    ///
    /// - Parameters:
    ///   - input: one sample, `network.inputShape.count` floats (NHWC), normalised as in training.
    ///   - target: the class to watch, in `0..<ClassProbabilities.classCount(of: network)`.
    ///   - progress: called after each batch with (positions done, total).
    /// - Throws: `TrainError.invalidConfiguration` for a patch that does not fit the input, a
    ///   non-positive stride, a fill with the wrong channel count or a class out of range.
    /// - Complexity: one forward pass per patch position (plus one per batch for the reference),
    ///   `ceil(positions / (batchSize − 1))` calls.
    public static func compute(network: Network, input: [Float], target: Int, options: Options = Options(),
                               progress: (Int, Int) -> Void = { _, _ in }) throws -> OcclusionMap {
        let shape = network.inputShape
        precondition(input.count == shape.count, "input has \(input.count) floats, the model takes \(shape.count)")
        try validate(options, shape: shape, target: target, classes: ClassProbabilities.classCount(of: network))
        let rows = starts(length: shape.height, patch: options.patch, stride: options.stride)
        let columns = starts(length: shape.width, patch: options.patch, stride: options.stride)
        let total = rows.count * columns.count
        let binary = ClassProbabilities.isBinary(network), outputs = network.outputShape.count
        let fill = options.fill.count == 1 ? [Float](repeating: options.fill[0], count: shape.channels) : options.fill
        // Slot 0 of every batch holds the unoccluded input and each copy is compared with its own
        // batch's slot 0: the engine's products round differently for another batch shape
        // (measured: up to 1.2e-7 in p between batch sizes 2 and 64 on a 64x64 CNN), so a
        // baseline from a separate pass would turn an ignored region's exact 0 into noise.
        let perBatch = max(1, min(options.batchSize, total + 1) - 1)
        var deltas = [Float](repeating: 0, count: total)
        var baseline: Float = 0
        // batch (1 + n, H, W, C): the input, then n copies of it, each with its own patch filled
        var batch = [Float](repeating: 0, count: (perBatch + 1) * shape.count)
        var start = 0
        while start < total {
            let n = min(perBatch, total - start)
            batch.withUnsafeMutableBufferPointer { b in
                input.withUnsafeBufferPointer { x in
                    for k in 0...n {
                        (b.baseAddress! + k * shape.count).update(from: x.baseAddress!, count: shape.count)
                    }
                    for k in 0..<n {
                        let p = start + k
                        fillPatch(b.baseAddress! + (k + 1) * shape.count, shape: shape, top: rows[p / columns.count],
                                  left: columns[p % columns.count], side: options.patch, fill: fill)
                    }
                }
                let out = network.forward(UnsafePointer(b.baseAddress!), batch: n + 1, mode: .inference)
                let reference = ClassProbabilities.probability(out, sample: 0, outputs: outputs, classIndex: target, binary: binary)
                if start == 0 { baseline = reference }
                for k in 0..<n {
                    let p = ClassProbabilities.probability(out, sample: k + 1, outputs: outputs, classIndex: target, binary: binary)
                    deltas[start + k] = abs(reference - p)
                }
            }
            start += n
            progress(start, total)
        }
        let values = pixelMeans(deltas, rows: rows, columns: columns, patch: options.patch, height: shape.height, width: shape.width)
        return OcclusionMap(height: shape.height, width: shape.width, target: target, baseline: baseline,
                            positionRows: rows, positionColumns: columns, deltas: deltas, values: values)
    }

    static func validate(_ options: Options, shape: TensorShape, target: Int, classes: Int) throws {
        guard !shape.isFlat else {
            throw TrainError.invalidConfiguration(reason: "occlusion needs an image input, the model takes flat \(shape) features")
        }
        guard options.patch >= 1, options.patch <= min(shape.height, shape.width) else {
            throw TrainError.invalidConfiguration(reason: "occlusion patch \(options.patch) does not fit the model's \(shape.height)x\(shape.width) input (1...\(min(shape.height, shape.width)))")
        }
        guard options.stride >= 1 else { throw TrainError.invalidConfiguration(reason: "occlusion stride must be at least 1, got \(options.stride)") }
        guard options.fill.count == 1 || options.fill.count == shape.channels else {
            throw TrainError.invalidConfiguration(reason: "occlusion fill has \(options.fill.count) values, the input has \(shape.channels) channels")
        }
        guard (0..<classes).contains(target) else {
            throw TrainError.invalidConfiguration(reason: "class \(target) is outside the model's 0..<\(classes)")
        }
    }

    // copy (H, W, C) -> copy with rows top..<top+side, columns left..<left+side set to fill (C)
    static func fillPatch(_ copy: UnsafeMutablePointer<Float>, shape: TensorShape, top: Int, left: Int, side: Int, fill: [Float]) {
        let c = shape.channels
        for y in top..<(top + side) {
            var i = (y * shape.width + left) * c
            for _ in 0..<side {
                for ch in 0..<c { copy[i + ch] = fill[ch] }
                i += c
            }
        }
    }

    /// Per pixel, the mean delta of the patches covering it (every pixel is covered: see `starts`).
    static func pixelMeans(_ deltas: [Float], rows: [Int], columns: [Int], patch: Int, height: Int, width: Int) -> [Float] {
        var sums = [Double](repeating: 0, count: height * width), counts = [Int](repeating: 0, count: height * width)
        for (r, top) in rows.enumerated() {
            for (c, left) in columns.enumerated() {
                let d = Double(deltas[r * columns.count + c])
                for y in top..<(top + patch) {
                    for x in left..<(left + patch) { sums[y * width + x] += d; counts[y * width + x] += 1 }
                }
            }
        }
        return zip(sums, counts).map { Float($0 / Double(max(1, $1))) }
    }

    public init(height: Int, width: Int, target: Int, baseline: Float, positionRows: [Int], positionColumns: [Int],
                deltas: [Float], values: [Float]) {
        precondition(values.count == height * width && deltas.count == positionRows.count * positionColumns.count,
                     "occlusion map of \(height)x\(width) with \(values.count) values and \(deltas.count) deltas")
        self.height = height; self.width = width; self.target = target; self.baseline = baseline
        self.positionRows = positionRows; self.positionColumns = positionColumns; self.deltas = deltas; self.values = values
    }

    /// The per-pixel map as CSV: `height` lines of `width` comma-separated values.
    public var csv: String {
        (0..<height).map { y in (0..<width).map { x in "\(values[y * width + x])" }.joined(separator: ",") }
            .joined(separator: "\n") + "\n"
    }
}
