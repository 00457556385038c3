import Foundation
import Testing
@testable import Augment

/// Our geometric operations against Keras's `ImageDataGenerator.apply_transform`, pixel for pixel.
///
/// Reference formula (Keras 3, `keras/src/legacy/preprocessing/image.py`, `apply_affine_transform`):
/// the sampling matrix `M = R(θ) · T(tx, ty) · Shear(s) · Zoom(zx, zy)`, with
/// `R = [[cos θ, -sin θ], [sin θ, cos θ]]`, `Shear = [[1, -sin s], [0, cos s]]`, `Zoom = diag(zx, zy)`,
/// conjugated about the centre; Keras then swaps the matrix's axes before calling
/// `scipy.ndimage.affine_transform`, so M acts on (x = column, y = row): an output pixel (x, y)
/// reads the input at `M (x - c, y - c) + c`. Flips mirror the result afterwards.
///
/// Every expectation below is that formula evaluated with nearest-neighbour reads on a 5x5 image
/// whose pixel (x, y) is `10 y + x` (so a value names the pixel it came from), with `fill_mode=
/// "nearest"` (out-of-range reads clamp), centre c = 2; angles and factors are chosen so no
/// position lands on a rounding tie. The same grids came out of the real Keras 3.15 function
/// (`order=0`) when these tests were written.
@Suite struct KerasParityTests {
    let image = TestImages.make(5, 5) { x, y, _ in 10 * y + x }
    /// sin s = 0.6, cos s = 0.8.
    let shear = asin(0.6) * 180 / .pi

    func warp(_ map: AffineMatrix) -> [[UInt8]] {
        TestImages.rows(TestImages.warp(image, map, .nearest, fill: .nearest))
    }

    @Test func shearTiltsVerticalEdgesLikeKeras() {
        // x_in = x - 0.6 (y - 2), y_in = 2 + 0.8 (y - 2): rows 0,1 read 1 column to the right
        // (+1.2, +0.6 round to 1), rows 3,4 one to the left; rows read themselves (0.4 -> 0, 1.2 -> 1, ...).
        #expect(warp(Shear(degrees: 40).samplingMap(shear, for: image.shape)) == [
            [1, 2, 3, 4, 4], [11, 12, 13, 14, 14], [20, 21, 22, 23, 24], [30, 30, 31, 32, 33], [40, 40, 41, 42, 43]])
        #expect(warp(Shear(degrees: 40).samplingMap(-shear, for: image.shape)) == [
            [0, 0, 1, 2, 3], [10, 10, 11, 12, 13], [20, 21, 22, 23, 24], [31, 32, 33, 34, 34], [41, 42, 43, 44, 44]])
    }

    @Test func positiveRotationTurnsLikeKeras() {
        // θ = 90: x_in = 2 - (y - 2), y_in = 2 + (x - 2), i.e. out(x, y) = in(4 - y, x): counter-clockwise.
        #expect(warp(Rotation(degrees: 90).samplingMap(90, for: image.shape)) == [
            [4, 14, 24, 34, 44], [3, 13, 23, 33, 43], [2, 12, 22, 32, 42], [1, 11, 21, 31, 41], [0, 10, 20, 30, 40]])
    }

    @Test func zoomXScalesColumnsAndZoomYRows() {
        // zx = 2: x_in = 2 + 2 (x - 2) = 2x - 2, clamped: columns 0 0 2 4 4.
        #expect(warp(Zoom(range: 1).samplingMap(.init(x: 2, y: 1), for: image.shape)) == [
            [0, 0, 2, 4, 4], [10, 10, 12, 14, 14], [20, 20, 22, 24, 24], [30, 30, 32, 34, 34], [40, 40, 42, 44, 44]])
        // zy = 0.6: y_in = 2 + 0.6 (y - 2) = 0.8, 1.4, 2, 2.6, 3.2 -> rows 1 1 2 3 3.
        #expect(warp(Zoom(range: 1).samplingMap(.init(x: 1, y: 0.6), for: image.shape)) == [
            [10, 11, 12, 13, 14], [10, 11, 12, 13, 14], [20, 21, 22, 23, 24], [30, 31, 32, 33, 34], [30, 31, 32, 33, 34]])
    }

    @Test func widthShiftMovesContentHorizontally() {
        // Our dx = 2 is Keras's tx = -2 (x_in = x + tx): content moves 2 columns right.
        // (Keras's own code draws tx from height_shift_range; its docs, and we, use width.)
        #expect(warp(Shift(width: 2, height: 0).samplingMap(.init(dx: 2, dy: 0), for: image.shape)) == [
            [0, 0, 0, 1, 2], [10, 10, 10, 11, 12], [20, 20, 20, 21, 22], [30, 30, 30, 31, 32], [40, 40, 40, 41, 42]])
    }

    @Test func composedOpsFollowKerasOrder() {
        // The pipeline concatenates sampling maps in op order, Keras's R · T · Shear · Zoom, then the flip.
        let shape = image.shape
        let rotateShear = Rotation(degrees: 90).samplingMap(90, for: shape).concatenating(Shear(degrees: 40).samplingMap(shear, for: shape))
        #expect(warp(rotateShear) == [
            [14, 24, 34, 44, 44], [13, 23, 33, 43, 43], [2, 12, 22, 32, 42], [1, 1, 11, 21, 31], [0, 0, 10, 20, 30]])
        let shearFlip = Shear(degrees: 40).samplingMap(shear, for: shape).concatenating(HorizontalFlip().samplingMap(true, for: shape))
        #expect(warp(shearFlip) == [
            [4, 4, 3, 2, 1], [14, 14, 13, 12, 11], [24, 23, 22, 21, 20], [33, 32, 31, 30, 30], [43, 42, 41, 40, 40]])
    }
}
