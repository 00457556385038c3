/// Places spilled splits so that they pool without a copy.
///
/// A streaming decoder appends each split's pixels (or each batch file's) to one `SpillFile` in
/// the order it reads them. `split` pools a source's splits with `PixelStorage.contiguous`,
/// which needs them end to end in one mapping, in the source's split order; this makes sure
/// they are, copying only when the reading order was another (members of a tar archive stored
/// out of the official order).
enum SpillLayout {
    /// One storage per group of byte ranges of `spill`, each group's ranges end to end.
    ///
    /// When every range follows the previous one (the usual case), the storages are windows of
    /// one mapping of `spill`. Otherwise the ranges are copied from that mapping into a new
    /// spill file in the same folder, in group order, and mapped from there (a copy between two
    /// files: page cache, not anonymous memory).
    static func storages(_ groups: [[Range<Int>]], of spill: SpillFile) throws -> [PixelStorage] {
        let ranges = groups.flatMap { $0 }
        let inOrder = zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound }
        let source = try spill.mapped()
        guard !inOrder else {
            return windows(groups.map { $0.reduce(0) { $0 + $1.count } }, of: source, from: ranges.first?.lowerBound ?? 0)
        }
        let copy = try SpillFile(directory: spill.directory)
        try source.withUnsafeBytes { raw in
            for range in ranges { try copy.append(UnsafeRawBufferPointer(rebasing: raw[range])) }
        }
        return windows(groups.map { $0.reduce(0) { $0 + $1.count } }, of: try copy.mapped(), from: 0)
    }

    /// Consecutive windows of `sizes` bytes of `file` from `offset`.
    private static func windows(_ sizes: [Int], of file: MappedFile, from offset: Int) -> [PixelStorage] {
        var offset = offset
        return sizes.map { size in
            defer { offset += size }
            return PixelStorage(mapping: file, offset: offset, count: size)
        }
    }
}
