import ArgumentParser
import DataPrep
import Workflows

/// How photos are decoded and which channel count a dataset gets: shared by every command that
/// decodes photos (`split`, `train`, `fine-tune`, `evaluate`, `explain`, `augment preview`).
struct DecodeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "How JPEGs are decoded before resizing: scaled (libjpeg DCT scaling to the smallest size covering the target; fast) "
            + "or full (full size, byte-identical to cv2.imread + cv2.resize with INTER_AREA, or INTER_LINEAR for --filter bilinear; slower). "
            + "See README, Decoding photos.", valueName: "full|scaled"))
    var decode: DecodeMode = .scaled

    /// `--grayscale` or `--color`; nil keeps the source's channels (gray only when every image is gray).
    @Flag var channels: ChannelChoice?

    /// The colour asked for, or nil to keep the source's.
    var color: ColorMode? { channels?.color }

    /// The workflows' form of these flags.
    var choice: DecodeChoice { DecodeChoice(color: color, decode: decode) }
}

/// `--grayscale` / `--color` (mutually exclusive: giving both is a usage error).
enum ChannelChoice: String, EnumerableFlag {
    case grayscale, color

    var color: ColorMode { self == .grayscale ? .gray : .rgb }

    static func help(for value: ChannelChoice) -> ArgumentHelp? {
        switch value {
        case .grayscale:
            return "One gray channel: the JPEG Y plane, ITU-R 601 luma for colour PNGs and arrays (default: the source's channels, gray only when every image is gray)."
        case .color:
            return "Three RGB channels, gray sources replicated."
        }
    }
}

extension DecodeMode: ExpressibleByArgument {}
