import ArgumentParser
import Workflows

/// What one command says about `--resize` and photo decoding: the help, the decoding section's
/// title and the error for a malformed size. Each command that loads photos has one.
protocol PhotoLoadingText {
    static var resizeHelp: ArgumentHelp { get }
    static var decodingTitle: String { get }
    static func invalidResize(_ text: String) -> String
}

/// `--resize WxH` and the photo decoding flags (`DecodeOptions`), declared, checked and parsed
/// once for `train`, `fine-tune`, `evaluate` and `augment preview`; `Text` keeps each
/// command's own wording.
struct PhotoLoadingOptions<Text: PhotoLoadingText>: ParsableArguments {
    @Option(name: .long, help: Text.resizeHelp)
    var resize: String?

    @OptionGroup(title: Text.decodingTitle)
    var decoding: DecodeOptions

    /// Refuses a malformed `--resize`. Called from the command's own `validate()` (not this
    /// group's, which runs first) so that its errors come in the order they always have.
    func validateResize() throws {
        if let resize, ImageSize.parse(resize) == nil { throw ValidationError(Text.invalidResize(resize)) }
    }

    /// The `--resize` size, parsed (nil when absent).
    var size: (width: Int, height: Int)? { ImageSize.parse(resize) }

    /// The workflows' form of the decoding flags.
    var choice: DecodeChoice { decoding.choice }
}

/// `train` and `fine-tune`.
enum TrainLoadingText: PhotoLoadingText {
    static let resizeHelp: ArgumentHelp = "Resize images of a photo folder to WxH while loading (required for folders of mixed sizes)."
    static let decodingTitle = "Decoding photos"
    static func invalidResize(_ text: String) -> String { "--resize must look like 80x80, got \(text)" }
}

/// `evaluate`: the model fixes the input size and channels.
enum EvaluateLoadingText: PhotoLoadingText {
    static let resizeHelp: ArgumentHelp = "Resize images of a photo folder to WxH while loading (default: the model's input size)."
    static let decodingTitle = "Decoding photos (the channel count follows the checkpoint)"
    static func invalidResize(_ text: String) -> String { TrainLoadingText.invalidResize(text) }
}

/// `augment preview`.
enum PreviewLoadingText: PhotoLoadingText {
    static let resizeHelp = ArgumentHelp("Resize images to WxH while loading (required for photo folders), e.g. 150x150.", valueName: "WxH")
    static let decodingTitle = "Decoding photos"
    static func invalidResize(_ text: String) -> String { "--resize must be WxH with sides in 1...4096, got '\(text)'" }
}
