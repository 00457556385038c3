import Testing
@testable import Augment

@Suite struct AffineMatrixTests {
    @Test func rotationAboutCenterKeepsCenterFixed() {
        let m = AffineMatrix.rotation(degrees: 37).about(x: 40, y: 30)
        let p = m.apply(x: 40, y: 30)
        #expect(abs(p.x - 40) < 1e-12 && abs(p.y - 30) < 1e-12)
    }

    @Test func ninetyDegreesMapsAxes() {
        // y grows downwards: a counter-clockwise quarter turn on screen sends +x to -y.
        let p = AffineMatrix.rotation(degrees: 90).apply(x: 1, y: 0)
        #expect(abs(p.x) < 1e-12 && abs(p.y + 1) < 1e-12)
    }

    @Test func concatenationOrderAndInverse() {
        let shift = AffineMatrix.translation(x: 3, y: -2)
        let zoom = AffineMatrix.scale(x: 2, y: 0.5)
        let p = shift.concatenating(zoom).apply(x: 1, y: 4)   // zoom first, then shift
        #expect(p.x == 5 && p.y == 0)
        let inv = shift.concatenating(zoom).inverted!
        let back = inv.apply(x: p.x, y: p.y)
        #expect(abs(back.x - 1) < 1e-12 && abs(back.y - 4) < 1e-12)
        #expect(AffineMatrix.scale(x: 0, y: 1).inverted == nil)
    }
}
