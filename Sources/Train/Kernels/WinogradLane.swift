/// A run of consecutive channels the Winograd tile transforms work on at once: 4 floats (one SSE
/// register: 8 made the 16 live values of a tile spill, and the output transform took 11% of a
/// cifar-cnn step), or one for the last `C mod 4` channels. The transforms read 16 pixels and write 16 positions per
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

extension SIMD4: WinogradLane where Scalar == Float {
    @inline(__always) static var width: Int { 4 }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD4<Float>.self)
    }
}

extension Winograd {
    /// Calls `body4(c)` over `0..<count` channels 4 at a time, then `body1(c)` one at a time.
    @inline(__always)
    static func forLanes(_ count: Int, _ body4: (Int) -> Void, _ body1: (Int) -> Void) {
        var c = 0
        while c &+ 4 <= count { body4(c); c &+= 4 }
        while c < count { body1(c); c &+= 1 }
    }
}
