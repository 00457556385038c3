/// One IDX file, raw or gzip: `info` describes it, but it holds images or labels, not both, so
/// it is not a dataset (its folder is).
public struct IDXFile: DescribedFile {
    public let path: String

    public init(path: String) { self.path = path }

    public var formatName: String { "idx" }

    public var refusalReason: String { "a lone IDX file holds images or labels, not both: pass the folder with the images and labels files" }

    /// The array's full shape, and a value histogram when it holds integer labels.
    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        let array = try IDXArray(contentsOf: path)
        var histogram: [Int] = []
        var names: [String] = []
        if array.shape.count == 1, let values = array.integerValues, let maxValue = values.max(), values.allSatisfy({ $0 >= 0 }),
           maxValue < 65536 {
            histogram = [Int](repeating: 0, count: maxValue + 1)
            for v in values { histogram[v] += 1 }
            names = (0...maxValue).map(String.init)
        }
        return DatasetReport(path: path, format: formatName, dtype: array.dataType.name, classNames: names,
                             splits: [SplitReport(name: "all", count: array.shape[0], shape: array.shape, histogram: histogram)],
                             details: ["rank": "\(array.shape.count)"])
    }
}
