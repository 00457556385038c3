import DataPrep

/// Keras `ImageDataGenerator`-style settings (plus the usual torchvision/albumentations extras),
/// everything off by default: what `dataprep`'s augmentation flags fill in, turned into a
/// `Pipeline` in a fixed order.
///
/// Order: random resized crop; rotation, shift, shear, zoom, flips (Keras's order, composed
/// into one warp); pad-and-crop; brightness, contrast, channel shift, grayscale, noise, cutout,
/// random erasing.
public struct AugmentationSettings: Codable, Equatable, Sendable {
    /// Degrees, 0...180 (`rotation_range`).
    public var rotationRange: Double = 0
    /// Fraction < 1 of the width, or pixels >= 1 (`width_shift_range`).
    public var widthShiftRange: Double = 0
    /// Fraction < 1 of the height, or pixels >= 1 (`height_shift_range`).
    public var heightShiftRange: Double = 0
    /// Degrees (`shear_range`, degrees in `ImageDataGenerator`).
    public var shearRange: Double = 0
    /// `[1-z, 1+z]` for Keras's float, or an explicit `[lower, upper]` (`zoom_range`).
    public var zoomRange: ClosedRange<Double>? = nil
    public var horizontalFlip = false
    public var verticalFlip = false
    public var fillMode: FillMode = .nearest
    public var cval: UInt8 = 0
    public var interpolation: Interpolation = .bilinear
    /// Brightness factors (`brightness_range`), e.g. `0.8...1.2`.
    public var brightnessRange: ClosedRange<Double>? = nil
    /// Contrast factors, e.g. `0.8...1.2`.
    public var contrastRange: ClosedRange<Double>? = nil
    /// Byte units (`channel_shift_range`).
    public var channelShiftRange: Double = 0
    /// CIFAR-style pad-and-crop padding in pixels.
    public var randomCropPadding: Int? = nil
    /// Area fraction range of a random resized crop (torchvision's `scale`), e.g. `0.08...1`.
    public var randomResizedCropScale: ClosedRange<Double>? = nil
    /// Gaussian noise standard deviation as a fraction of 255.
    public var noiseStd: Double? = nil
    /// Cutout hole side: fraction < 1 of the image side, or pixels >= 1.
    public var cutoutSize: Double? = nil
    public var cutoutHoles = 1
    /// Probability of torchvision-style random erasing.
    public var randomErasingProbability: Double? = nil
    /// Probability of converting to grayscale.
    public var randomGrayscaleProbability: Double? = nil

    public init() {}

    /// The pipeline these settings describe, validated; errors name the setting by its flag
    /// (`--rotation-range`).
    public func pipeline() throws(AugmentError) -> Pipeline {
        var ops: [(flag: String, op: AugmentationOp)] = []
        if let scale = randomResizedCropScale {
            ops.append(("--random-resized-crop", .randomResizedCrop(RandomResizedCrop(scale: scale))))
        }
        if rotationRange != 0 { ops.append(("--rotation-range", .rotation(Rotation(degrees: rotationRange)))) }
        if widthShiftRange != 0 || heightShiftRange != 0 {
            ops.append(("--width-shift-range/--height-shift-range", .shift(Shift(width: widthShiftRange, height: heightShiftRange))))
        }
        if shearRange != 0 { ops.append(("--shear-range", .shear(Shear(degrees: shearRange)))) }
        if let zoom = zoomRange, zoom != 1...1 { ops.append(("--zoom-range", .zoom(Zoom(lower: zoom.lowerBound, upper: zoom.upperBound)))) }
        if horizontalFlip { ops.append(("--horizontal-flip", .horizontalFlip(HorizontalFlip()))) }
        if verticalFlip { ops.append(("--vertical-flip", .verticalFlip(VerticalFlip()))) }
        if let padding = randomCropPadding { ops.append(("--random-crop-padding", .randomCrop(RandomCrop(padding: padding)))) }
        if let range = brightnessRange {
            ops.append(("--brightness-range", .brightness(Brightness(lower: range.lowerBound, upper: range.upperBound))))
        }
        if let range = contrastRange { ops.append(("--contrast-range", .contrast(Contrast(lower: range.lowerBound, upper: range.upperBound)))) }
        if channelShiftRange != 0 { ops.append(("--channel-shift-range", .channelShift(ChannelShift(intensity: channelShiftRange)))) }
        if let p = randomGrayscaleProbability { ops.append(("--random-grayscale", .randomGrayscale(RandomGrayscale(probability: p)))) }
        if let std = noiseStd { ops.append(("--noise-std", .gaussianNoise(GaussianNoise(std: std)))) }
        if let size = cutoutSize { ops.append(("--cutout", .cutout(Cutout(holes: cutoutHoles, size: size)))) }
        if let p = randomErasingProbability { ops.append(("--random-erasing", .randomErasing(RandomErasing(probability: p)))) }
        for (flag, op) in ops {
            do throws(AugmentError) {
                try op.operation.validate(at: flag)
            } catch let .badValue(_, expected, found) {
                throw .badValue(at: flag, expected: expected, found: found)
            }
        }
        return Pipeline(ops.map(\.op), fillMode: fillMode, cval: cval, interpolation: interpolation)
    }
}
