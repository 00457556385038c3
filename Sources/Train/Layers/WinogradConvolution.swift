/// The Winograd F(2x2, 3x3) path of a stride-1 3x3 `Conv2DLayer`: forward, input gradient and
/// weight gradient, each as 16 `sgemm`s per block of tiles (see `Winograd` for the algebra).
///
/// Blocks are cut by `ConvTiling` over each sample's 2x2 output tiles, with the Winograd block
/// size (`KernelTuning.winogradBlockFloats`) in place of the im2col tile size: a block is whole
/// samples or a run of one sample's tiles, parts are runs of whole samples (one thread adds a
/// sample's overlapping tiles into its input gradient, in order), and the cut depends on the
/// shape and the machine's tuning only. The weight gradient is summed per part, in block order,
/// and the parts' sums are added in part order: bit-identical for any thread count.
final class WinogradConvolution {
    let geometry: ConvGeometry
    let filters: Int
    let tiles: Winograd.Tiles
    let tuning: KernelTuning
    /// `U = G g G^T` (16, C, O), and its per-position transposes (16, O, C) for `dV = dM U^T`.
    private var transformed = Workspace<Float>()
    private var transposed = Workspace<Float>()
    /// Per part: V (16 x block tiles x C), M (16 x block tiles x O), a dump row.
    private var blocks = Workspace<Float>()
    private var zeros = Workspace<Float>()
    /// Per part: its sum of `dU` (16, C, O).
    private var partials = Workspace<Float>()

    init(geometry: ConvGeometry, filters: Int, tuning: KernelTuning) {
        precondition(Winograd.applies(to: geometry), "Winograd needs a stride-1 3x3 convolution, got \(geometry)")
        self.geometry = geometry; self.filters = filters; self.tuning = tuning
        tiles = Winograd.Tiles(geometry)
    }

    deinit { transformed.free(); transposed.free(); blocks.free(); zeros.free(); partials.free() }

    func tiling(batch: Int) -> ConvTiling {
        ConvTiling(batch: batch, rowsPerSample: tiles.perSample, width: 16 * (geometry.channels + filters),
                   tileFloats: tuning.winogradBlockFloats, maxParts: tuning.convParts)
    }

    /// The part's V and M blocks (position strides `vStride`, `mStride`) and its dump row.
    private struct Buffers {
        var base: UnsafeMutablePointer<Float>!
        let vStride, mStride, partFloats, wide: Int

        init(tiling: ConvTiling, channels: Int, filters: Int) {
            vStride = tiling.maxTileRows * channels; mStride = tiling.maxTileRows * filters
            wide = max(channels, filters)
            partFloats = 16 * (vStride + mStride) + wide
        }

        func v(_ p: Int) -> UnsafeMutablePointer<Float> { base + p &* partFloats }
        func m(_ p: Int) -> UnsafeMutablePointer<Float> { v(p) + 16 &* vStride }
        func dump(_ p: Int) -> UnsafeMutablePointer<Float> { m(p) + 16 &* mStride }
    }

    func reserve(batch: Int) { _ = buffers(tiling(batch: batch)) }

    private func buffers(_ tiling: ConvTiling) -> (Buffers, UnsafePointer<Float>) {
        var b = Buffers(tiling: tiling, channels: geometry.channels, filters: filters)
        b.base = blocks.reserve(tiling.parts * b.partFloats, initial: 0)
        return (b, UnsafePointer(zeros.reserve(b.wide, initial: 0)))
    }

    private func transformKernel(_ kernel: UnsafePointer<Float>, transposes: Bool) -> UnsafePointer<Float> {
        let c = geometry.channels, o = filters, size = c * o
        let u = transformed.reserve(16 * size, initial: 0)
        Winograd.transformKernel(kernel, channels: c, filters: o, into: u)
        if transposes {
            let ut = transposed.reserve(16 * size, initial: 0)
            for p in 0..<16 {
                let src = u + p * size, dst = ut + p * size
                for i in 0..<c { for j in 0..<o { dst[j &* c &+ i] = src[i &* o &+ j] } }
            }
        }
        return UnsafePointer(u)
    }

    /// // x (N, H, W, C), kernel (3, 3, C, O) -> y (N, OH, OW, O) = act(conv + bias)
    func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, kernel: UnsafePointer<Float>,
                 bias: UnsafePointer<Float>, activation: Activation, workers: Workers) {
        let g = geometry, c = g.channels, o = filters, t = tiles
        let tiling = tiling(batch: batch)
        let (buf, zeros) = buffers(tiling)
        let u = transformKernel(kernel, transposes: false), outCount = g.outHeight * g.outWidth * o
        let timer = TileTimer(tiles: tiling.tiles, clock: workers.clock)
        workers.run(tiling.parts) { p in
            let v = buf.v(p), m = buf.m(p)
            for block in tiling.tiles(ofPart: p) {
                let samples = tiling.samples(block), own = tiling.rows(block), first = samples.lowerBound
                for n in samples {
                    Winograd.transformInput(t, x + n &* g.inputCount, tiles: own, into: v + (n &- first) &* own.count &* c,
                                            positionStride: buf.vStride, zeros: zeros, isa: workers.isa)
                }
                let rows = samples.count &* own.count
                timer.time(block) {
                    for q in 0..<16 {
                        GEMM.multiply(m: rows, n: o, k: c, a: v + q &* buf.vStride, lda: c, b: u + q &* c &* o, ldb: o,
                                      c: m + q &* buf.mStride, ldc: o)
                    }
                }
                for n in samples {
                    Winograd.transformOutput(t, m + (n &- first) &* own.count &* o, tiles: own, positionStride: buf.mStride,
                                             filters: o, bias: bias, activation: activation, into: y + n &* outCount, dump: buf.dump(p), isa: workers.isa)
                }
            }
        }
        timer.report(threads: min(workers.threads, tiling.parts))
    }

    /// From `dz` (the gradient before the activation): the kernel gradient (overwritten) when
    /// `kernelGradient` is given, the input gradient (overwritten) when `dx` is.
    /// // x (N, H, W, C), dz (N, OH, OW, O) -> dkernel (3, 3, C, O), dx (N, H, W, C)
    func backward(_ x: UnsafePointer<Float>, _ dz: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int,
                  kernel: UnsafePointer<Float>, kernelGradient: UnsafeMutablePointer<Float>?, workers: Workers) {
        if dx == nil && kernelGradient == nil { return }
        let g = geometry, c = g.channels, o = filters, t = tiles, size = c * o
        let cut = tiling(batch: batch)
        let (buf, zeros) = buffers(cut)
        let tiling = kernelGradient == nil ? cut : cut.cappedForReduction(rows: batch * tiles.perSample)
        let parts = tiling.parts
        let sums = kernelGradient == nil ? nil : partials.reserve(max(1, parts) * 16 * size, initial: 0)
        _ = transformKernel(kernel, transposes: dx != nil)
        let ut = UnsafePointer(transposed.pointer), outCount = g.outHeight * g.outWidth * o
        let timer = TileTimer(tiles: tiling.tiles, clock: workers.clock)
        workers.run(parts) { p in
            let v = buf.v(p), m = buf.m(p), own = tiling.tiles(ofPart: p)
            let sum = sums.map { $0 + p &* 16 &* size }
            for block in own {
                let samples = tiling.samples(block), blockTiles = tiling.rows(block), first = samples.lowerBound
                let rows = samples.count &* blockTiles.count
                for n in samples {
                    let at = (n &- first) &* blockTiles.count
                    Winograd.outputAdjoint(t, dz + n &* outCount, tiles: blockTiles, filters: o, into: m + at &* o,
                                           positionStride: buf.mStride, zeros: zeros, isa: workers.isa)
                    if sum != nil {
                        Winograd.transformInput(t, x + n &* g.inputCount, tiles: blockTiles, into: v + at &* c,
                                                positionStride: buf.vStride, zeros: zeros, isa: workers.isa)
                    }
                }
                timer.time(block) {
                    // dU_q (C, O) += V_q^T dM_q, then dV_q (tiles, C) = dM_q U_q^T into V (read first).
                    if let sum {
                        for q in 0..<16 {
                            GEMM.multiply(m: c, n: o, k: rows, a: v + q &* buf.vStride, lda: c, transposeA: true,
                                          b: m + q &* buf.mStride, ldb: o, c: sum + q &* size, ldc: o,
                                          beta: block == own.lowerBound ? 0 : 1)
                        }
                    }
                    if dx != nil, let ut {
                        for q in 0..<16 {
                            GEMM.multiply(m: rows, n: c, k: o, a: m + q &* buf.mStride, lda: o, b: ut + q &* size, ldb: c,
                                          c: v + q &* buf.vStride, ldc: c)
                        }
                    }
                }
                guard let dx else { continue }
                for n in samples {
                    let d = dx + n &* g.inputCount
                    if blockTiles.lowerBound == 0 { d.update(repeating: 0, count: g.inputCount) }
                    Winograd.inputAdjoint(t, v + (n &- first) &* blockTiles.count &* c, tiles: blockTiles,
                                          positionStride: buf.vStride, into: d, dump: buf.dump(p), isa: workers.isa)
                }
            }
        }
        timer.report(threads: min(workers.threads, parts))
        guard let sums, let kernelGradient else { return }
        let total = 16 * size
        for p in 1..<max(1, parts) {
            let s = sums + p &* total
            for i in 0..<total { sums[i] += s[i] }
        }
        Winograd.kernelAdjoint(sums, channels: c, filters: o, into: kernelGradient)
    }
}
