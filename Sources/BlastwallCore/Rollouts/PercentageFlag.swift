/// Which side of a percentage flag a key is on. Each key gets a fixed bucket from a hash of the flag and
/// the key, and is on when its bucket is below the percentage, so a key that is on stays on as the
/// percentage grows, and different flags split the same keys differently.
public enum PercentageFlag {
    /// Buckets per percent: 100 × 100 gives steps of 0.01%.
    static let buckets: UInt64 = 10_000

    public static func bucket(flag: String, key: String) -> Int {
        // FNV-1a 64 over "flag\0key", then a SplitMix64 finaliser to spread FNV's low bits.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in flag.utf8 + [0] + key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 31
        return Int(hash % buckets)
    }

    public static func isOn(flag: String, key: String, percentage: Int) -> Bool {
        bucket(flag: flag, key: key) < percentage * Int(buckets / 100)
    }
}
