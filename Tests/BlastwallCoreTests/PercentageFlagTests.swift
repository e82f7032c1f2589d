import BlastwallCore
import PropertyBased
import Testing

@Suite struct PercentageFlagTests {
    /// A key on at p% is on at every larger percentage: growing a rollout never flips anyone back.
    @Test func keysStayOnAsThePercentageGrows() async {
        await propertyCheck(count: 2000, input: Gen.int(in: 0...100), Gen.int(in: 0...100), Gen.letterOrNumber.string(of: 1...20)) {
            a, b, key in
            let (low, high) = (min(a, b), max(a, b))
            if PercentageFlag.isOn(flag: "checkout-v2", key: key, percentage: low) {
                #expect(PercentageFlag.isOn(flag: "checkout-v2", key: key, percentage: high))
            }
        }
    }

    @Test func theShareOfKeysMatchesThePercentage() {
        for percentage in [0, 5, 25, 50, 100] {
            let on = (0..<20_000).filter { PercentageFlag.isOn(flag: "f", key: "user-\($0)", percentage: percentage) }.count
            #expect(abs(Double(on) / 20_000 - Double(percentage) / 100) < 0.015, "\(percentage)%: \(on) of 20000")
        }
    }

    @Test func differentFlagsSplitKeysIndependently() {
        let keys = (0..<10_000).map { "user-\($0)" }
        let both = keys.filter {
            PercentageFlag.isOn(flag: "a", key: $0, percentage: 50) && PercentageFlag.isOn(flag: "b", key: $0, percentage: 50)
        }
        #expect(abs(Double(both.count) / 10_000 - 0.25) < 0.02)
    }
}
