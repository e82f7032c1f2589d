import Foundation

/// Tells random tokens (keys, passwords a generator made) from words, identifiers and placeholders, by the
/// Shannon entropy of their characters.
enum TokenEntropy {
    /// The shortest run of token characters considered.
    static let minimumLength = 16

    /// Whether `line` holds a run of at least 16 token characters (`A-Z a-z 0-9 + / = _ -`) with both letters
    /// and digits whose entropy is at least `bits` per character.
    static func hasRandomToken(in line: String, minimumBits bits: Double) -> Bool {
        var run: [UInt8] = []
        for byte in line.utf8 {
            if isTokenByte(byte) {
                run.append(byte)
                continue
            }
            if isRandom(run, minimumBits: bits) { return true }
            run.removeAll(keepingCapacity: true)
        }
        return isRandom(run, minimumBits: bits)
    }

    static func isRandom(_ token: [UInt8], minimumBits bits: Double) -> Bool {
        guard token.count >= minimumLength,
            token.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            token.contains(where: { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") })
        else { return false }
        return entropy(of: token) >= bits
    }

    /// Bits per character.
    static func entropy(of token: [UInt8]) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        for byte in token { counts[Int(byte)] += 1 }
        let total = Double(token.count)
        return counts.reduce(0.0) { sum, count in
            guard count > 0 else { return sum }
            let share = Double(count) / total
            return sum - share * Foundation.log2(share)
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
