import ArgumentParser
import Augment
import DataPrep
import Foundation

/// The augmentation flags, with Keras `ImageDataGenerator`'s names: included by `augment
/// preview` and meant for `train` via `@OptionGroup`. `makePipeline()` turns them (or
/// `--pipeline FILE`) into an `Augment.Pipeline`.
struct AugmentationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rotate by a random angle in -D...D degrees (Keras rotation_range).", valueName: "D"))
    var rotationRange: Double = 0

    @Option(help: ArgumentHelp("Random horizontal shift: a fraction < 1 of the width, or whole pixels >= 1: an integer in -n...n (Keras width_shift_range, moving content horizontally as Keras documents).", valueName: "R"))
    var widthShiftRange: Double = 0

    @Option(help: ArgumentHelp("Random vertical shift: a fraction < 1 of the height, or whole pixels >= 1: an integer in -n...n (Keras height_shift_range).", valueName: "R"))
    var heightShiftRange: Double = 0

    @Option(help: ArgumentHelp("Shear by a random angle in -D...D degrees, vertical edges leaning (Keras shear_range, which is in degrees).", valueName: "D"))
    var shearRange: Double = 0

    @Option(help: ArgumentHelp("Zoom factors: Z for Keras's [1-Z, 1+Z], or LO,HI; drawn independently for x and y (>1 shows more of the image).", valueName: "Z|LO,HI"))
    var zoomRange: NumberRange?

    @Flag(help: "Flip left-right with probability 0.5.")
    var horizontalFlip = false

    @Flag(help: "Flip top-bottom with probability 0.5.")
    var verticalFlip = false

    @Option(help: "What the warp reads outside the image (Keras fill_mode).")
    var fillMode: FillMode = .nearest

    @Option(help: ArgumentHelp("Value outside the image with --fill-mode constant, 0...255 (Keras cval).", valueName: "V"))
    var cval: Int = 0

    @Option(help: "Interpolation of the warp.")
    var interpolation: Interpolation = .bilinear

    @Option(help: ArgumentHelp("Multiply by a random factor in LO...HI (Keras brightness_range), e.g. 0.8,1.2.", valueName: "LO,HI"))
    var brightnessRange: NumberRange?

    @Option(help: ArgumentHelp("Scale the distance from the mean luma by a random factor in LO...HI, e.g. 0.8,1.2.", valueName: "LO,HI"))
    var contrastRange: NumberRange?

    @Option(help: ArgumentHelp("Add one random offset in -S...S (byte units) to all channels, clipped to the image's range (Keras channel_shift_range).", valueName: "S"))
    var channelShiftRange: Double = 0

    @Option(help: ArgumentHelp("Pad P pixels of zeros on each side, then crop back to the input size at a random offset (CIFAR style).", valueName: "P"))
    var randomCropPadding: Int?

    @Option(help: ArgumentHelp("Crop a random window covering LO...HI of the area (aspect 3/4...4/3) and resize it to the full size, e.g. 0.08,1.", valueName: "LO,HI"))
    var randomResizedCrop: NumberRange?

    @Option(help: ArgumentHelp("Add Gaussian noise with this standard deviation, as a fraction of 255 (e.g. 0.05).", valueName: "STD"))
    var noiseStd: Double?

    @Option(help: ArgumentHelp("Cut out square holes of this side: a fraction < 1 of the image side, or pixels >= 1.", valueName: "SIZE"))
    var cutout: Double?

    @Option(help: ArgumentHelp("Holes per image with --cutout, 1...8.", valueName: "N"))
    var cutoutHoles: Int = 1

    @Option(help: ArgumentHelp("Erase one random rectangle (2-33% of the area) with this probability (torchvision RandomErasing).", valueName: "P"))
    var randomErasing: Double?

    @Option(help: ArgumentHelp("Convert to grayscale with this probability.", valueName: "P"))
    var randomGrayscale: Double?

    @Option(help: ArgumentHelp("Read the pipeline from a JSON file instead of the flags above.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var pipeline: String?

    /// The library settings the flags stand for.
    var settings: AugmentationSettings {
        var s = AugmentationSettings()
        s.rotationRange = rotationRange
        s.widthShiftRange = widthShiftRange
        s.heightShiftRange = heightShiftRange
        s.shearRange = shearRange
        s.zoomRange = zoomRange.map { $0.upper == nil ? (1 - $0.lower)...(1 + $0.lower) : $0.lower...$0.upper! }
        s.horizontalFlip = horizontalFlip
        s.verticalFlip = verticalFlip
        s.fillMode = fillMode
        s.cval = UInt8(clamping: cval)
        s.interpolation = interpolation
        s.brightnessRange = brightnessRange?.closed
        s.contrastRange = contrastRange?.closed
        s.channelShiftRange = channelShiftRange
        s.randomCropPadding = randomCropPadding
        s.randomResizedCropScale = randomResizedCrop?.closed
        s.noiseStd = noiseStd
        s.cutoutSize = cutout
        s.cutoutHoles = cutoutHoles
        s.randomErasingProbability = randomErasing
        s.randomGrayscaleProbability = randomGrayscale
        return s
    }

    /// Whether any flag other than `--pipeline` was given.
    var hasOperationFlags: Bool {
        var operations = settings
        operations.fillMode = .nearest; operations.cval = 0; operations.interpolation = .bilinear
        return operations != AugmentationSettings()
    }

    func validate() throws {
        guard (0...255).contains(cval) else { throw ValidationError("--cval must be in 0...255, got \(cval)") }
        for (flag, range) in [("--brightness-range", brightnessRange), ("--contrast-range", contrastRange),
                              ("--random-resized-crop", randomResizedCrop)] {
            if let range, range.upper == nil { throw ValidationError("\(flag) needs two numbers LO,HI, got \(range.lower)") }
        }
        if pipeline != nil && hasOperationFlags {
            throw ValidationError("--pipeline replaces the augmentation flags: give one or the other")
        }
        do { _ = try settings.pipeline() } catch { throw ValidationError("\(error)") }
    }

    /// The pipeline from `--pipeline FILE` or from the flags (empty when none was given).
    /// - Throws: `DataPrepError` / `AugmentError` when the file cannot be read or is invalid.
    func makePipeline() throws -> Pipeline {
        if let path = pipeline { return try Pipeline.load(path: path) }
        return try settings.pipeline()
    }
}

/// `X` or `LO,HI` on the command line.
struct NumberRange: ExpressibleByArgument, Sendable {
    let lower: Double
    let upper: Double?

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
        lower = parts[0]!
        upper = parts.count == 2 ? parts[1]! : nil
        if let upper, upper < lower { return nil }
    }

    /// `lower...upper` (or `lower...lower` for a single number).
    var closed: ClosedRange<Double> { lower...(upper ?? lower) }
}

extension FillMode: ExpressibleByArgument {}
extension Interpolation: ExpressibleByArgument {}
