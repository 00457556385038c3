import DataPrep

/// Conv2D as Keras: `filters` output channels from a `kernel` window moved by `stride`, `valid`
/// padding and a linear output unless told otherwise (Keras's defaults).
/// Text: `conv F K [HxW] [stride S] [same|valid] [ACT] [l1=X] [l2=X] [init=he|glorot] [frozen]`.
public struct Conv2DSpec: LayerKindSpec, Equatable {
    public var filters: Int
    public var kernel: SpatialSize
    public var stride: SpatialSize
    public var padding: Padding
    public var activation: Activation
    public var weights: KernelSettings
    public var trainable = true

    public init(filters: Int, kernel: SpatialSize, stride: SpatialSize = 1, padding: Padding = .valid,
                activation: Activation = .linear, weights: KernelSettings = KernelSettings()) {
        precondition(filters > 0, "conv needs filters > 0, got \(filters)")
        self.filters = filters; self.kernel = kernel; self.stride = stride; self.padding = padding
        self.activation = activation; self.weights = weights
    }

    static let textOptions: LayerFields.TextOptions = [.activation, .window, .weights]

    static func readPositional(_ item: inout LayerTextItem) throws {
        guard item.positional.count == 2 else { throw item.fail("conv needs FILTERS and KERNEL, e.g. \"conv 32 3 same relu\"") }
        item.fields.filters = try item.number(item.positional[0], "filters")
        item.fields.kernel = try item.size(item.positional[1])
    }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        guard let filters = f.filters, filters > 0 else { throw fail("conv needs filters > 0") }
        guard let kernel = SpatialSize(f.kernel) else { throw fail("conv needs a kernel [h, w] > 0") }
        try f.checkOptionRanges(fail)
        self.init(filters: filters, kernel: kernel, stride: SpatialSize(f.stride) ?? 1, padding: f.padding ?? .valid,
                  activation: f.activation ?? .linear, weights: KernelSettings(f))
    }

    func write(into f: inout LayerFields) {
        f.filters = filters; f.kernel = kernel.list; f.stride = stride.list
        f.padding = padding; f.activation = activation
        weights.write(into: &f)
    }

    /// Keras: a (KH, KW, C_in, filters) kernel and one bias per filter.
    func parameterCount(input: TensorShape) -> Int { (kernel.height * kernel.width * input.channels + 1) * filters }
}
