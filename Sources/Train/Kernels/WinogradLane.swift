/// A run of consecutive channels the Winograd tile transforms work on at once: 8 floats, or one
/// for the last `C mod 8` channels. The transforms read 16 pixels and write 16 positions per
/// tile; written over plain pointers LLVM does not vectorize them (32 pointers that may alias),
/// so the lanes are explicit.
protocol WinogradLane {
    static var width: Int { get }
    static func load(_ p: UnsafePointer<Float>) -> Self
    func store(_ p: UnsafeMutablePointer<Float>)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
}

extension Float: WinogradLane {
    @inline(__always) static var width: Int { 1 }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Float { p.pointee }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { p.pointee = self }
}

extension SIMD8: WinogradLane where Scalar == Float {
    @inline(__always) static var width: Int { 8 }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}

extension Winograd {
    /// Calls `body(c, lane)` over `0..<count` channels: 8 at a time, then one at a time.
    @inline(__always)
    static func forLanes(_ count: Int, _ body8: (Int) -> Void, _ body1: (Int) -> Void) {
        var c = 0
        while c &+ 8 <= count { body8(c); c &+= 8 }
        while c < count { body1(c); c &+= 1 }
    }
}
