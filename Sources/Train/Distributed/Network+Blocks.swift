extension Network {
    /// The training forward pass of this process's blocks of a step (`pass.localCount`
    /// samples at `input`, NHWC); returns the output buffer (valid until the next call).
    ///
    /// - Parameter threads: threads per layer call (default `threads`).
    func forward(_ input: UnsafePointer<Float>, pass: BlockPass, seed: UInt64, step: Int,
                 threads: Int? = nil) throws -> UnsafeMutablePointer<Float> {
        reserve(batch: max(1, pass.localCount))
        let ctx = context(mode: .training, seed: seed, step: step, threads: threads)
        var x = input
        for (i, layer) in layers.enumerated() {
            let start = profile == nil ? 0 : GEMMClock.now()
            try layer.forwardBlocks(x, outputs[i], pass: pass, context: ctx)
            profile?.addForward(i, since: start)
            x = UnsafePointer(outputs[i])
        }
        return outputs.last ?? UnsafeMutablePointer(mutating: input)
    }

    /// Backpropagates `outputGradient` (already divided by the step's whole batch) through this
    /// process's blocks and leaves in `parameters.gradients` the step's gradients: every block's,
    /// added in block order (see `SampleBlocks`).
    func backward(input: UnsafePointer<Float>, pass: BlockPass, gradients: BlockGradients, fusedOutputActivation: Bool,
                  seed: UInt64, step: Int, threads: Int? = nil) throws {
        let ctx = context(mode: .training, seed: seed, step: step, threads: threads)
        gradients.begin(pass)
        var dy = gradientA!, spare = gradientB!
        let lowest = parameters.tensors.lazy.filter(\.trainable).map(\.layer).min() ?? layers.count
        for i in stride(from: layers.count - 1, through: lowest, by: -1) {
            let x = i == 0 ? input : UnsafePointer(outputs[i - 1])
            let dx: UnsafeMutablePointer<Float>? = i <= lowest ? nil : spare
            let start = profile == nil ? 0 : GEMMClock.now()
            try layers[i].backwardBlocks(x, outputs[i], dy, dx, pass: pass,
                                         skipActivation: fusedOutputActivation && i == layers.count - 1, context: ctx,
                                         keep: { gradients.keep(layer: i, block: $0) })
            profile?.addBackward(i, since: start)
            swap(&dy, &spare)
        }
        try gradients.finish()
    }
}
