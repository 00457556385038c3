import Testing
@testable import Report

/// Nice tick steps (1, 2, 5 × 10^k) covering the data, worked out by hand.
@Suite struct AxisTicksTests {
    @Test func unitRange() {
        let t = AxisTicks(low: 0, high: 1, target: 6)   // 1/5 = 0.2 → nice 0.2
        #expect(t.step == 0.2 && t.lower == 0 && t.upper == 1)
        #expect(t.values.map(t.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func lossRangeWidensToWholeSteps() {
        let t = AxisTicks(low: 2.2394, high: 2.3589, target: 6)   // 0.1195/5 = 0.0239 → 0.05
        #expect(abs(t.step - 0.05) < 1e-12)
        #expect(abs(t.lower - 2.2) < 1e-9 && abs(t.upper - 2.4) < 1e-9)
        #expect(t.values.map(t.label) == ["2.20", "2.25", "2.30", "2.35", "2.40"])
    }

    @Test func epochsUseWholeNumbers() {
        let few = AxisTicks(low: 1, high: 3, target: 6, integral: true)   // 2/5 = 0.4 → 0.5 → at least 1
        #expect(few.step == 1 && few.values.map(few.label) == ["1", "2", "3"])
        let many = AxisTicks(low: 1, high: 50, target: 6, integral: true)   // 49/5 = 9.8 → 10
        #expect(many.step == 10 && many.lower == 0 && many.upper == 50)
        let one = AxisTicks(low: 1, high: 1, target: 6, integral: true)
        #expect(one.lower < 1 && one.upper > 1 && one.step == 1)
    }

    @Test func zeroNeverPrintsNegative() {
        let t = AxisTicks(low: -0.3, high: 0.3, target: 4)   // 0.6/3 = 0.2
        #expect(t.values.map(t.label) == ["-0.4", "-0.2", "0.0", "0.2", "0.4"])
    }
}
