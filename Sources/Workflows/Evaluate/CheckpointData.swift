import DataPrep
import Train

/// Bringing data to a trained checkpoint, shared by `evaluate` and `explain`: photos are sized
/// and coloured to the model's input exactly as a photo folder is while training (DCT-scaled or
/// full decoding per --decode, then the area filter, stretched), array formats keep theirs and
/// are checked. The channel count follows the checkpoint: photos are converted to it (with a
/// note when they are not already so), arrays only when --grayscale/--color asks; a flag that
/// contradicts the checkpoint is an error, never a silent conversion.
public enum CheckpointData {
    /// Decodes DATA. Photos of a folder are brought to the model's input (size and colour, or
    /// `resize`) since they differ in size; array formats keep theirs and are checked against
    /// the model afterwards, so a mismatch is reported rather than silently resampled.
    ///
    /// - Parameter sharing: divides a photo collection's decoding among the ranks of a job.
    public static func load(_ path: String, model input: TensorShape, resize: (width: Int, height: Int)?, decoding: DecodeChoice,
                            threads: Int, events: WorkflowEvents, sharing: (any DecodeSharing)? = nil) throws -> LoadedDataset {
        var options = LoadedDataset.Options(size: resize, color: try askedColor(decoding, model: input), threads: threads,
                                            decode: decoding.decode)
        options.decodeSharing = sharing
        if let collection = try DatasetSource.open(path) as? ImageCollection, !input.isFlat {
            if options.size == nil { options.size = (input.width, input.height) }
            let modelColor = modelColor(input)
            if options.color == nil {
                let sources = try collection.sourceShape(needSize: false, threads: threads).nativeColor
                if sources != modelColor { events.note(conversionNote(of: path, from: sources, to: modelColor)) }
            }
            options.color = modelColor
        }
        return try events.withProgress("loading \(lastPathComponent(path))") { bar in
            try LoadedDataset.load(path: path, options: options, progress: { bar.update($0, of: $1) })
        }
    }

    /// The colour `--grayscale`/`--color` ask for, checked against the model's channel count.
    static func askedColor(_ decoding: DecodeChoice, model input: TensorShape) throws -> ColorMode? {
        guard let asked = decoding.color, !input.isFlat else { return decoding.color }
        guard asked.channels == input.channels else {
            throw TrainError.incompatibleData(reason: "--\(asked == .gray ? "grayscale" : "color") asks for \(asked.channels) channels, but the model takes \(input.channels)-channel inputs")
        }
        return asked
    }

    private static func modelColor(_ input: TensorShape) -> ColorMode { input.channels == 1 ? .gray : .rgb }

    private static func conversionNote(of path: String, from sources: ColorMode, to model: ColorMode) -> String {
        let how = model == .gray ? "to gray (--grayscale)" : "to RGB, gray replicated (--color)"
        return "note: the model takes \(model.channels)-channel inputs: converting the \(sources == .gray ? "gray" : "colour") images of \(path) \(how)"
    }

    /// The split named `split` and where each of its samples came from. A lone batch file's
    /// single split `all` stands in for the default `test`.
    public static func split(_ split: String, of loaded: LoadedDataset) throws -> (data: ImageDataset, origins: [String]) {
        let names = loaded.splits.splits.map(\.name)
        let name = names.contains(split) ? split : (names == ["all"] && split == "test" ? "all" : nil)
        guard let name, let index = names.firstIndex(of: name) else {
            throw TrainError.incompatibleData(reason: "no split named \(split) (the data has: \(names.joined(separator: ", "))); choose one with --split")
        }
        let origins = index < loaded.origins.count ? Array(loaded.origins[index]) : []
        let dataset = loaded.splits.splits[index].data
        return (dataset, origins.count == dataset.count ? origins : [])
    }

    /// The real name of the split `split` resolves to in `split(_:of:)` (`all` for a lone batch
    /// file asked for `test`), for labels and folder names.
    public static func splitName(_ split: String, of loaded: LoadedDataset) -> String {
        let names = loaded.splits.splits.map(\.name)
        return !names.contains(split) && names == ["all"] && split == "test" ? "all" : split
    }

    /// One JPEG or PNG as the model's input bytes: decoded to its colour and resized to its size
    /// the way `ImageCollection.load` treats every photo of a training folder.
    public static func image(_ path: String, model input: TensorShape, decoding: DecodeChoice, events: WorkflowEvents) throws -> Image {
        guard !input.isFlat else {
            throw TrainError.incompatibleData(reason: "the model takes flat \(input) features, not an image: pass a dataset instead of \(path)")
        }
        guard input.channels == 1 || input.channels == 3 else {
            throw TrainError.incompatibleData(reason: "the model takes \(input.channels)-channel inputs; images decode to 1 (gray) or 3 (RGB)")
        }
        let color = modelColor(input)
        let bytes = try FileIO.read(path)
        if try askedColor(decoding, model: input) == nil {
            let source: ColorMode = try ImageFile.header(bytes, name: path).channels == 1 ? .gray : .rgb
            if source != color { events.note(conversionNote(of: path, from: source, to: color)) }
        }
        let decoded = try ImageFile.decode(bytes, name: path, color: color, minimumSize: (input.width, input.height),
                                           mode: decoding.decode)
        let defaults = LoadedDataset.Options()
        return decoded.resized(width: input.width, height: input.height, filter: defaults.filter, aspect: defaults.aspect)
    }
}
