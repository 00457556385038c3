/// How photos (JPEG, PNG) are decoded before they are resized to a dataset's size.
///
/// The two modes trade speed for reproducibility against the tool most notebooks use:
/// - `scaled` (the default) asks libjpeg for the smallest DCT scale M/8 whose output still
///   covers the target size, with plain chroma replication: a 500x375 photo for an 80x80 target
///   is decoded at 125x94 and never exists at full size. Several times faster than a full
///   decode, but the pixels differ from a full decode followed by the same resize (a mean of
///   about 2 gray levels on the dogs-vs-cats photos: see README, "Decoding photos").
/// - `full` decodes every photo at full size exactly as `cv2.imread(path, IMREAD_GRAYSCALE or
///   IMREAD_COLOR)` does (libjpeg ISLOW IDCT with fancy upsampling, the Y plane for gray, EXIF
///   orientation applied; OpenCV's CMYK and PNG conversions), so with the area or bilinear filter
///   the dataset equals `cv2.resize(img, (w, h), interpolation=INTER_AREA or INTER_LINEAR)`
///   byte for byte (channels in RGB order rather than OpenCV's BGR).
public enum DecodeMode: String, Sendable, CaseIterable, Codable {
    case scaled
    case full
}
