import Testing
@testable import Train

/// Row-block conv tiles: the cut itself (hand-computed), im2col / col2im of a row block against
/// slices of the whole-sample kernels, and conv layers whose samples are cut into blocks against
/// the naive reference and across thread counts (bit-identical).
@Suite struct ConvTilingTests {
    /// 128 KB tiles (a 128 KB L1d) and 8 parts, whatever CPU runs the tests: the hand-computed
    /// cuts below are for this tile size.
    static let tiles128KB = KernelTuning(caches: CPUCaches(l1Data: 128 << 10, l2: 1 << 20), processors: 2)

    @Test func cifarSecondConvIsCutIntoRowBlocks() {
        // 30x30 output pixels x 288 floats = 259,200 > 32,768 per tile: 8 blocks per sample.
        let t = ConvTiling(batch: 32, rowsPerSample: 900, width: 288, tuning: Self.tiles128KB)
        #expect(t.samplesPerTile == 1 && t.rowBlocks == 8 && t.groups == 32 && t.tiles == 256 && t.parts == 8)
        #expect(t.maxTileRows == 113)
        // 900 = 4 x 113 + 4 x 112
        #expect(t.rows(0) == 0..<113 && t.rows(4) == 452..<564 && t.rows(7) == 788..<900)
        #expect(t.samples(9) == 1..<2 && t.batchRows(9) == 1013..<1126)
        // Parts are runs of whole samples (4 each), so one thread owns all of a sample's blocks.
        #expect(t.tiles(ofPart: 1) == 32..<64 && t.tiles(ofPart: 7) == 224..<256)
    }

    @Test func smallSamplesShareATile() {
        // 100 rows x 32 floats = 3,200: ten samples per tile, one tile for a batch of 10.
        let t = ConvTiling(batch: 10, rowsPerSample: 100, width: 32, tuning: Self.tiles128KB)
        #expect(t.samplesPerTile == 10 && t.rowBlocks == 1 && t.tiles == 1 && t.parts == 1)
        #expect(t.samples(0) == 0..<10 && t.rows(0) == 0..<100 && t.batchRows(0) == 0..<1000 && t.maxTileRows == 1000)
        let u = ConvTiling(batch: 25, rowsPerSample: 100, width: 32, tuning: Self.tiles128KB)
        #expect(u.tiles == 3 && u.samples(2) == 20..<25 && u.batchRows(2) == 2000..<2500)
    }

    static let geometries: [ConvGeometry] = [
        ConvGeometry(height: 7, width: 6, channels: 3, kernel: (3, 3), stride: (1, 1), padding: .same)!,
        ConvGeometry(height: 9, width: 8, channels: 2, kernel: (3, 2), stride: (2, 1), padding: .valid)!,
        ConvGeometry(height: 8, width: 8, channels: 4, kernel: (3, 3), stride: (2, 2), padding: .same)!,
    ]

    @Test(arguments: geometries)
    func rowBlockPackAndUnpackMatchTheWholeSample(_ g: ConvGeometry) {
        var random = TestRandom(5)
        let x = random.floats(g.inputCount)
        let rows = g.outHeight * g.outWidth, patch = g.patchSize
        var whole = [Float](repeating: 0, count: rows * patch)
        x.withUnsafeBufferPointer { xp in whole.withUnsafeMutableBufferPointer { Im2Col.pack(g, xp.baseAddress!, $0.baseAddress!) } }
        let col = random.floats(rows * patch)
        var expected = [Float](repeating: 0, count: g.inputCount)
        col.withUnsafeBufferPointer { cp in expected.withUnsafeMutableBufferPointer { Im2Col.unpack(g, cp.baseAddress!, $0.baseAddress!) } }
        // Three uneven blocks that start and end mid output row.
        let cuts = [0, rows / 3 + 1, 2 * rows / 3 + 2, rows]
        var dx = [Float](repeating: 0, count: g.inputCount)
        for b in 0..<3 {
            let block = cuts[b]..<cuts[b + 1]
            var part = [Float](repeating: -7, count: block.count * patch)
            x.withUnsafeBufferPointer { xp in part.withUnsafeMutableBufferPointer { Im2Col.pack(g, xp.baseAddress!, $0.baseAddress!, rows: block) } }
            #expect(part == Array(whole[block.lowerBound * patch..<block.upperBound * patch]), "pack block \(block)")
            col.withUnsafeBufferPointer { cp in
                dx.withUnsafeMutableBufferPointer { Im2Col.unpack(g, cp.baseAddress! + block.lowerBound * patch, $0.baseAddress!, rows: block) }
            }
        }
        #expect(maxRelativeError(dx, expected) < 1e-6)
    }

    struct Case: CustomStringConvertible, Sendable {
        var h, w, c, filters, stride: Int
        var padding: Padding
        var batch: Int
        var description: String { "\(h)x\(w)x\(c) s\(stride) \(padding) f\(filters) n\(batch)" }
    }

    // 400 output pixels x 144 floats = 57,600 per sample: two row blocks; 18x18 valid: 256 x 144.
    static let cases = [Case(h: 20, w: 20, c: 16, filters: 8, stride: 1, padding: .same, batch: 3),
                        Case(h: 18, w: 18, c: 16, filters: 40, stride: 1, padding: .valid, batch: 5),
                        Case(h: 31, w: 29, c: 16, filters: 8, stride: 2, padding: .same, batch: 3)]

    static func layerResults(_ cc: Case, threads: Int, tuning: KernelTuning = tiles128KB) throws -> (y: [Float], dx: [Float], dW: [Float], db: [Float],
                                                           kernel: [Float], bias: [Float], x: [Float], dz: [Float]) {
        let spec = LayerSpec.conv(Conv2DSpec(filters: cc.filters, kernel: 3, stride: SpatialSize(cc.stride, cc.stride), padding: cc.padding))
        let input = TensorShape(height: cc.h, width: cc.w, channels: cc.c)
        let net = try Network(spec: ModelSpec(layers: [spec]), input: input, seed: 3, threads: threads, tuning: tuning)
        var random = TestRandom(UInt64(cc.h))
        let x = random.floats(cc.batch * input.count)
        net.setValues("layers.0.conv.bias", random.floats(cc.filters))
        let y = net.run(x, batch: cc.batch)
        let dz = random.floats(y.count)
        let dx = net.gradients(x, batch: cc.batch, dOutput: dz)
        return (y, dx, net.gradient("layers.0.conv.kernel"), net.gradient("layers.0.conv.bias"),
                net.values("layers.0.conv.kernel"), net.values("layers.0.conv.bias"), x, dz)
    }

    @Test(arguments: cases)
    func rowBlockConvolutionMatchesReferenceAndThreadCounts(_ cc: Case) throws {
        let g = ConvGeometry(height: cc.h, width: cc.w, channels: cc.c, kernel: (3, 3), stride: (cc.stride, cc.stride), padding: cc.padding)!
        #expect(ConvTiling(batch: cc.batch, rowsPerSample: g.outHeight * g.outWidth, width: max(g.patchSize, cc.filters), tuning: Self.tiles128KB).rowBlocks >= 2,
                "the case must exercise row blocks")
        let one = try Self.layerResults(cc, threads: 1), two = try Self.layerResults(cc, threads: 2)
        #expect(one.y.map(\.bitPattern) == two.y.map(\.bitPattern), "forward 1 vs 2 threads")
        #expect(one.dx.map(\.bitPattern) == two.dx.map(\.bitPattern), "dx 1 vs 2 threads")
        #expect(one.dW.map(\.bitPattern) == two.dW.map(\.bitPattern), "dW 1 vs 2 threads")
        #expect(one.db.map(\.bitPattern) == two.db.map(\.bitPattern), "db 1 vs 2 threads")
        let expected = Reference.convForward(g, batch: cc.batch, x: one.x, kernel: one.kernel, bias: one.bias, filters: cc.filters)
        // Linear activation: forward is the reference's z.
        #expect(maxRelativeError(one.y, expected) < 1e-4)
        let ref = Reference.convBackward(g, batch: cc.batch, x: one.x, kernel: one.kernel, dz: one.dz, filters: cc.filters)
        #expect(maxRelativeError(one.dx, ref.dx) < 1e-4, "dx")
        #expect(maxRelativeError(one.dW, ref.dKernel) < 1e-4, "dW")
        #expect(maxRelativeError(one.db, ref.dBias) < 1e-4, "db")
    }
}
